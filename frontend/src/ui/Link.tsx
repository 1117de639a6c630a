import type { ComponentChildren, JSX } from 'preact';
import { navigate } from '../app/router';

type Props = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & {
  href: string;
  children: ComponentChildren;
};

// An <a> that navigates inside the app; modified clicks (new tab, ...) stay the browser's.
export function Link({ href, children, ...rest }: Props) {
  function onClick(e: MouseEvent) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    navigate(href);
  }
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
