// The one place the inbox learns that something changed: a counter signal that moves when the
// open list and conversation should be fetched again. Today a poll every few seconds while the
// tab is visible (and at once when it becomes visible again); the live events (an EventSource)
// replace the timer here without touching the screens.
import { signal } from '@preact/signals';

export const POLL_MS = 3000;

// Moves on every "conversation changed" signal; screens re-fetch in an effect that reads it.
export const changes = signal(0);

// Starts delivering signals; returns the function that stops them.
export function startLive(intervalMs: number = POLL_MS): () => void {
  const visible = () => document.visibilityState === 'visible';
  const timer = setInterval(() => {
    if (visible()) changes.value++;
  }, intervalMs);
  const onVisibility = () => {
    if (visible()) changes.value++;
  };
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
