import { PerformanceObserver } from 'node:perf_hooks';

/** The longest of the values seen since it was last read; each read starts a new window. */
export class LongestSinceRead {
  private longest = 0;

  observe(value: number): void {
    if (value > this.longest) this.longest = value;
  }

  read(): number {
    const longest = this.longest;
    this.longest = 0;
    return longest;
  }
}

/**
 * Calls `onPause` with the length in ms of every garbage-collection pause of this thread (a
 * `gc` PerformanceObserver, as prom-client's own histogram uses). Returns the way to stop.
 */
export function watchGcPauses(onPause: (ms: number) => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) onPause(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
