/**
 * A minimal 5-field cron matcher (minute hour day-of-month month day-of-week, UTC) for the
 * economy's blackout windows. Supports `*`, numbers, lists `a,b`, ranges `a-b` and steps `x/n`.
 */

function fieldMatches(field: string, value: number, min: number, max: number): boolean {
  return field.split(',').some((part) => {
    const [rangePart, stepPart] = part.split('/');
    const step = stepPart ? Number(stepPart) : 1;
    let lo: number;
    let hi: number;
    if (rangePart === '*') {
      lo = min;
      hi = max;
    } else if (rangePart.includes('-')) {
      [lo, hi] = rangePart.split('-').map(Number);
    } else {
      lo = Number(rangePart);
      hi = stepPart ? max : lo;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(step) || step <= 0) {
      throw new Error(`bad cron field "${field}"`);
    }
    return value >= lo && value <= hi && (value - lo) % step === 0;
  });
}

export function cronMatches(expr: string, ms: number): boolean {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron needs 5 fields: "${expr}"`);
  const d = new Date(ms);
  const dow = d.getUTCDay();
  return (
    fieldMatches(fields[0], d.getUTCMinutes(), 0, 59) &&
    fieldMatches(fields[1], d.getUTCHours(), 0, 23) &&
    fieldMatches(fields[2], d.getUTCDate(), 1, 31) &&
    fieldMatches(fields[3], d.getUTCMonth() + 1, 1, 12) &&
    (fieldMatches(fields[4], dow, 0, 7) || (dow === 0 && fieldMatches(fields[4], 7, 0, 7)))
  );
}

/** True when the most recent cron time at or before `nowMs` is within `durationHours`. */
export function withinCronWindow(expr: string, durationHours: number, nowMs: number): boolean {
  const minute = 60_000;
  const start = Math.floor(nowMs / minute) * minute;
  const steps = Math.ceil((durationHours * 3600_000) / minute);
  for (let i = 0; i < steps; i++) {
    if (cronMatches(expr, start - i * minute)) return true;
  }
  return false;
}
