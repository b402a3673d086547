/**
 * The simulated wall clock. It only moves when the world is advanced: by
 * `POST /sim/clock/advance` in manual mode, or by the 1 s ticker in real mode.
 */
export class SimClock {
  constructor(private current: number) {}
  nowMs(): number {
    return this.current;
  }
  now(): Date {
    return new Date(this.current);
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/** `2026-06-14 00:39:02`: SQLite CURRENT_TIMESTAMP style, UTC, no `T`, no zone. */
export function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** UTC calendar date `YYYY-MM-DD`. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** CyTube's display duration: `MM:SS` under an hour, `HH:MM:SS` from an hour up. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return hh > 0 ? `${two(hh)}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`;
}
