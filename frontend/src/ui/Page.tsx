import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { navigations } from '../app/router';
import { t } from '../i18n';

// A page's heading: sets the document title and, after an in-app navigation, takes the focus so
// keyboard and screen-reader users start at the new page.
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('app.pageTitle', { page: title });
  }, [title]);
  useLayoutEffect(() => {
    if (navigations.peek() > 0) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div class="page-heading">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

// Said on a page the user's role may not use (the navigation does not lead there).
export function NoAccess({ title, text }: { title: string; text: string }) {
  return (
    <section class="page narrow">
      <PageHeading title={title} />
      <p class="card muted-text">{text}</p>
    </section>
  );
}
