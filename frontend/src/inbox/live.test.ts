import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changes, startLive } from './live';

// A document of its own: only what live.ts reads (visibilityState and its event).
class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';
  show(state: 'visible' | 'hidden') {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

describe('live signals (polling)', () => {
  let doc: FakeDocument;
  beforeEach(() => {
    vi.useFakeTimers();
    doc = new FakeDocument();
    vi.stubGlobal('document', doc);
    changes.value = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('signals every interval while visible, not while hidden, and at once when shown again', () => {
    const stop = startLive(1000);
    vi.advanceTimersByTime(3000);
    expect(changes.value).toBe(3);
    doc.show('hidden');
    vi.advanceTimersByTime(5000);
    expect(changes.value).toBe(3);
    doc.show('visible');
    expect(changes.value).toBe(4);
    stop();
    vi.advanceTimersByTime(5000);
    doc.show('visible');
    expect(changes.value).toBe(4);
  });
});
