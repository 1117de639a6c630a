// A very small router on the History API; the current location is a signal.
import { signal } from '@preact/signals';

export interface Location {
  path: string;
  search: URLSearchParams;
}

function read(): Location {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

export const location = signal<Location>(read());
// How many in-app navigations happened: pages move focus to their heading after the first.
export const navigations = signal(0);

export function currentUrl(): string {
  return window.location.pathname + window.location.search;
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === currentUrl()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  location.value = read();
  navigations.value++;
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  location.value = read();
  navigations.value++;
});
