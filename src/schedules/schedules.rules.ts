/**
 * Timed events — pure rules (BEHAVIOUR.md §4.4–§4.9): fire-time parsing (naive = UTC), the
 * supported RFC 5545 RRULE subset and its next occurrence (all in UTC, so no DST), the admin
 * table status, the auto-clear of a finished event and the immutability expiry.
 */

// --- fire times ---

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date-time. With a zone (`Z`, `+02:00`) it is taken as given; without one it is
 * UTC (DEFECT fixed: the old routes read a naive time as server-local). Null when invalid.
 */
export function parseFireAt(input: string): Date | null {
  const m = ISO_RE.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms] as const;
  const utc = Date.UTC(...fields);
  const check = new Date(utc);
  // Reject rollovers such as 2026-02-30 or 25:00.
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] ||
    check.getUTCDate() !== fields[2] ||
    check.getUTCHours() !== fields[3] ||
    check.getUTCMinutes() !== fields[4] ||
    check.getUTCSeconds() !== fields[5]
  ) {
    return null;
  }
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  return new Date(utc - offsetMin * 60_000);
}

// --- RRULE subset ---

export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY';

export interface ByDay {
  /** 0 = Monday … 6 = Sunday (RFC 5545 week starts on MO). */
  weekday: number;
  /** MONTHLY only: 1 = first, −1 = last; null = every such weekday. */
  ordinal: number | null;
}

export interface RRule {
  freq: Freq;
  interval: number;
  byDay: ByDay[];
  byHour: number[];
  byMinute: number[];
  count: number | null;
  until: Date | null;
}

export type RRuleParse = { ok: true; rule: RRule } | { ok: false; error: string };

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const SUPPORTED = 'FREQ=DAILY|WEEKLY|MONTHLY with INTERVAL, BYDAY, BYHOUR, BYMINUTE, COUNT, UNTIL';

function intList(value: string, min: number, max: number): number[] | null {
  const parts = value.split(',');
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,2}$/.test(p)) return null;
    const n = Number(p);
    if (n < min || n > max) return null;
    out.push(n);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

function parseUntil(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/i.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  // A date-only UNTIL includes that whole day.
  const iso = h === undefined ? `${y}-${mo}-${d}T23:59:59Z` : `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  return parseFireAt(iso);
}

/**
 * Parse the supported subset of an RFC 5545 RRULE (an optional `RRULE:` prefix is allowed).
 * Anything else (other FREQs, BYSETPOS, BYMONTHDAY, …) is refused with a readable error.
 */
export function parseRrule(input: string): RRuleParse {
  const text = input.trim().replace(/^RRULE:/i, '');
  if (text === '') return { ok: false, error: 'RRULE is empty' };
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, error: `RRULE part "${part}" is not NAME=VALUE` };
    const name = part.slice(0, eq).toUpperCase();
    if (fields.has(name)) return { ok: false, error: `RRULE repeats ${name}` };
    fields.set(name, part.slice(eq + 1).toUpperCase());
  }
  const rule: RRule = {
    freq: 'DAILY',
    interval: 1,
    byDay: [],
    byHour: [],
    byMinute: [],
    count: null,
    until: null,
  };
  const freq = fields.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') {
    return { ok: false, error: `Unsupported RRULE FREQ "${freq ?? ''}" (supported: ${SUPPORTED})` };
  }
  rule.freq = freq;
  for (const [name, value] of fields) {
    switch (name) {
      case 'FREQ':
        break;
      case 'INTERVAL':
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1) {
          return { ok: false, error: 'RRULE INTERVAL must be ≥ 1' };
        }
        rule.interval = Number(value);
        break;
      case 'COUNT':
        if (!/^\d{1,6}$/.test(value) || Number(value) < 1) {
          return { ok: false, error: 'RRULE COUNT must be ≥ 1' };
        }
        rule.count = Number(value);
        break;
      case 'UNTIL': {
        const until = parseUntil(value);
        if (!until) return { ok: false, error: `RRULE UNTIL "${value}" is not YYYYMMDD or YYYYMMDDTHHMMSSZ` };
        rule.until = until;
        break;
      }
      case 'BYHOUR': {
        const hours = intList(value, 0, 23);
        if (!hours) return { ok: false, error: 'RRULE BYHOUR must list hours 0–23' };
        rule.byHour = hours;
        break;
      }
      case 'BYMINUTE': {
        const minutes = intList(value, 0, 59);
        if (!minutes) return { ok: false, error: 'RRULE BYMINUTE must list minutes 0–59' };
        rule.byMinute = minutes;
        break;
      }
      case 'BYDAY': {
        for (const token of value.split(',')) {
          const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
          if (!m) return { ok: false, error: `RRULE BYDAY "${token}" is not a weekday (MO…SU)` };
          const ordinal = m[1] === undefined ? null : Number(m[1]);
          if (ordinal !== null && (freq !== 'MONTHLY' || ordinal === 0 || Math.abs(ordinal) > 5)) {
            return {
              ok: false,
              error: `RRULE BYDAY "${token}": an ordinal needs FREQ=MONTHLY and 1…5 or -1…-5`,
            };
          }
          rule.byDay.push({ weekday: WEEKDAYS.indexOf(m[2]), ordinal });
        }
        break;
      }
      case 'WKST':
        if (value !== 'MO') return { ok: false, error: 'RRULE WKST other than MO is not supported' };
        break;
      default:
        return { ok: false, error: `Unsupported RRULE part ${name} (supported: ${SUPPORTED})` };
    }
  }
  if (rule.count !== null && rule.until !== null) {
    return { ok: false, error: 'RRULE cannot have both COUNT and UNTIL' };
  }
  return { ok: true, rule };
}

const DAY_MS = 86_400_000;

/** Monday = 0 … Sunday = 6, in UTC. */
function weekdayOf(dayStartMs: number): number {
  return (new Date(dayStartMs).getUTCDay() + 6) % 7;
}

function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The days (UTC midnights) of one period of the rule, sorted. */
function periodDays(rule: RRule, dtstart: Date, k: number): number[] {
  const startDay = dayStart(dtstart.getTime());
  if (rule.freq === 'DAILY') {
    const day = startDay + k * rule.interval * DAY_MS;
    if (rule.byDay.length && !rule.byDay.some((b) => b.weekday === weekdayOf(day))) return [];
    return [day];
  }
  if (rule.freq === 'WEEKLY') {
    const monday = startDay - weekdayOf(startDay) * DAY_MS + k * rule.interval * 7 * DAY_MS;
    const weekdays = rule.byDay.length ? rule.byDay.map((b) => b.weekday) : [weekdayOf(startDay)];
    return [...new Set(weekdays)].sort((a, b) => a - b).map((w) => monday + w * DAY_MS);
  }
  // MONTHLY
  const monthIndex = dtstart.getUTCFullYear() * 12 + dtstart.getUTCMonth() + k * rule.interval;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const first = Date.UTC(year, month, 1);
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (!rule.byDay.length) {
    const dom = dtstart.getUTCDate();
    return dom <= daysInMonth ? [first + (dom - 1) * DAY_MS] : [];
  }
  const days = new Set<number>();
  for (const b of rule.byDay) {
    const matching: number[] = [];
    for (let d = 0; d < daysInMonth; d++) {
      const day = first + d * DAY_MS;
      if (weekdayOf(day) === b.weekday) matching.push(day);
    }
    if (b.ordinal === null) matching.forEach((d) => days.add(d));
    else {
      const pick = b.ordinal > 0 ? matching[b.ordinal - 1] : matching[matching.length + b.ordinal];
      if (pick !== undefined) days.add(pick);
    }
  }
  return [...days].sort((a, b) => a - b);
}

function periodInstances(rule: RRule, dtstart: Date, k: number): number[] {
  const hours = rule.byHour.length ? rule.byHour : [dtstart.getUTCHours()];
  const minutes = rule.byMinute.length ? rule.byMinute : [dtstart.getUTCMinutes()];
  const secondsMs = dtstart.getUTCSeconds() * 1000;
  const out: number[] = [];
  for (const day of periodDays(rule, dtstart, k)) {
    for (const h of hours) for (const m of minutes) out.push(day + h * 3_600_000 + m * 60_000 + secondsMs);
  }
  return out;
}

/** Safety bound on the periods walked (≈ 270 years of daily periods). */
const MAX_PERIODS = 100_000;

export interface Occurrence {
  at: Date;
  /** 0-based index of this occurrence in the series that starts at dtstart. */
  index: number;
}

/**
 * The first occurrence of `rule` (series starting at `dtstart`, evaluated in UTC) strictly after
 * `after`, or null when COUNT or UNTIL is exhausted first. Occurrences before dtstart never count.
 */
export function nextOccurrence(rule: RRule, dtstart: Date, after: Date): Occurrence | null {
  const startMs = dtstart.getTime();
  const afterMs = after.getTime();
  let index = 0;
  for (let k = 0; k < MAX_PERIODS; k++) {
    for (const at of periodInstances(rule, dtstart, k)) {
      if (at < startMs) continue;
      if (rule.until && at > rule.until.getTime()) return null;
      if (rule.count !== null && index >= rule.count) return null;
      if (at > afterMs) return { at: new Date(at), index };
      index++;
    }
  }
  return null;
}

/** Rewrite COUNT so it counts from a new dtstart that is occurrence `index` of the old series. */
export function rebaseCount(rrule: string, rule: RRule, index: number): string {
  if (rule.count === null || index === 0) return rrule;
  const remaining = Math.max(1, rule.count - index);
  return rrule.replace(/COUNT=\d+/i, `COUNT=${remaining}`);
}

export type Advance =
  | { ok: true; fire_at: Date; rrule: string }
  | { ok: false; reason: 'unparseable' | 'exhausted'; error?: string };

/**
 * Move a recurring schedule to its next occurrence strictly after `after` (series dtstart =
 * the current fire_at). COUNT is kept relative to the stored fire_at: it is decreased by the
 * occurrences passed, so `COUNT=3` fires three times in all.
 */
export function advanceRecurrence(rrule: string, fireAt: Date, after: Date): Advance {
  const parsed = parseRrule(rrule);
  if (!parsed.ok) return { ok: false, reason: 'unparseable', error: parsed.error };
  const next = nextOccurrence(parsed.rule, fireAt, after);
  if (!next) return { ok: false, reason: 'exhausted' };
  return { ok: true, fire_at: next.at, rrule: rebaseCount(rrule, parsed.rule, next.index) };
}

// --- admin table status ---

export type ScheduleStatus = 'pending' | 'fired' | 'past' | 'disabled';

export function scheduleStatus(
  s: { is_active: boolean; fired_at: Date | null; fire_at: Date },
  now: Date,
): ScheduleStatus {
  if (!s.is_active) return 'disabled';
  if (s.fired_at) return 'fired';
  return s.fire_at.getTime() <= now.getTime() ? 'past' : 'pending';
}

// --- auto-clear of a finished event ---

/** How long after `estimated_end_at` a running event is cleared anyway. */
export const AUTO_CLEAR_GRACE_MS = 5 * 60_000;

export interface ActiveEventView {
  last_item_uid: number | null;
  estimated_end_at: Date | null;
}

export interface QueueView {
  uids: readonly number[];
  now_playing_uid: number | null;
  /** The live feed is not answering: the queue view can't be trusted. */
  stale: boolean;
}

export type AutoClearReason = 'last_item_gone' | 'ended';

/**
 * Whether the running event is over: its last item has left the queue (played or removed), or
 * `estimated_end_at` is more than 5 min past (also covers an event where no item was added).
 */
export function autoClearReason(
  active: ActiveEventView,
  queue: QueueView,
  now: Date,
): AutoClearReason | null {
  if (active.last_item_uid !== null && !queue.stale) {
    const last = Number(active.last_item_uid);
    if (queue.now_playing_uid !== last && !queue.uids.includes(last)) return 'last_item_gone';
  }
  if (active.estimated_end_at && now.getTime() - active.estimated_end_at.getTime() > AUTO_CLEAR_GRACE_MS) {
    return 'ended';
  }
  return null;
}

// --- immutability expiry (§4.9) ---

export interface ExpiryScheduleView {
  playlist_id: number | null;
  is_active: boolean;
  immutability_expires_at: Date | null;
}

/**
 * Immutable playlists to release: one of their schedules has an expiry in the past, and none of
 * their *active* schedules has a null or future expiry. Real timestamps (DEFECT fixed).
 */
export function playlistsToRelease(
  immutablePlaylistIds: readonly number[],
  schedules: readonly ExpiryScheduleView[],
  now: Date,
): number[] {
  const nowMs = now.getTime();
  return immutablePlaylistIds.filter((id) => {
    const mine = schedules.filter((s) => s.playlist_id === id);
    const expired = mine.some(
      (s) => s.immutability_expires_at && s.immutability_expires_at.getTime() < nowMs,
    );
    const stillHeld = mine.some(
      (s) => s.is_active && (!s.immutability_expires_at || s.immutability_expires_at.getTime() >= nowMs),
    );
    return expired && !stillHeld;
  });
}
