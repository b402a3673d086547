import { Frequency, type Options, RRule as LibRRule, type Weekday } from 'rrule';
/**
 * Timed events — pure rules: fire-time parsing (naive = UTC), the
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

// --- RRULE (RFC 5545; occurrences computed by the rrule library) ---

export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface ByDay {
  /** 0 = Monday … 6 = Sunday (RFC 5545 week starts on MO). */
  weekday: number;
  /** MONTHLY/YEARLY only: 1 = first, −1 = last; null = every such weekday. */
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
  // Parts beyond the first subset: present only when the rule has them.
  byMonthDay?: number[];
  byMonth?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  bySetPos?: number[];
  /** Week start, 0 = Monday (the default) … 6 = Sunday. */
  wkst?: number;
}

export type RRuleParse = { ok: true; rule: RRule } | { ok: false; error: string };

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const SUPPORTED =
  'FREQ=DAILY|WEEKLY|MONTHLY|YEARLY with INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, ' +
  'BYYEARDAY, BYWEEKNO, BYSETPOS, BYHOUR, BYMINUTE, WKST';

/** A comma list of non-zero integers within ±max (RFC 5545 BYMONTHDAY, BYSETPOS, …). */
function signedList(value: string, max: number, allowNegative = true): number[] | null {
  const out: number[] = [];
  for (const p of value.split(',')) {
    if (!/^[+-]?\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n === 0 || Math.abs(n) > max || (!allowNegative && n < 0)) return null;
    out.push(n);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

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
 * Parse an RFC 5545 RRULE (an optional `RRULE:` prefix is allowed) into a checked rule, with a
 * readable error for anything wrong. Events repeat at most daily and to the minute, so the
 * sub-daily FREQs and BYSECOND are refused.
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
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY' && freq !== 'YEARLY') {
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
          const maxOrdinal = freq === 'YEARLY' ? 53 : 5;
          if (
            ordinal !== null &&
            ((freq !== 'MONTHLY' && freq !== 'YEARLY') || ordinal === 0 || Math.abs(ordinal) > maxOrdinal)
          ) {
            return {
              ok: false,
              error: `RRULE BYDAY "${token}": an ordinal needs FREQ=MONTHLY (1…5 or -1…-5) or FREQ=YEARLY (±1…53)`,
            };
          }
          rule.byDay.push({ weekday: WEEKDAYS.indexOf(m[2]), ordinal });
        }
        break;
      }
      case 'WKST': {
        const wkst = WEEKDAYS.indexOf(value);
        if (wkst < 0) return { ok: false, error: `RRULE WKST "${value}" is not a weekday (MO…SU)` };
        rule.wkst = wkst;
        break;
      }
      case 'BYMONTHDAY': {
        const days = signedList(value, 31);
        if (!days) return { ok: false, error: 'RRULE BYMONTHDAY must list days 1…31 or -1…-31' };
        rule.byMonthDay = days;
        break;
      }
      case 'BYMONTH': {
        const months = signedList(value, 12, false);
        if (!months) return { ok: false, error: 'RRULE BYMONTH must list months 1…12' };
        rule.byMonth = months;
        break;
      }
      case 'BYYEARDAY': {
        const days = signedList(value, 366);
        if (!days) return { ok: false, error: 'RRULE BYYEARDAY must list days 1…366 or -1…-366' };
        rule.byYearDay = days;
        break;
      }
      case 'BYWEEKNO': {
        const weeks = signedList(value, 53);
        if (!weeks || freq !== 'YEARLY') {
          return { ok: false, error: 'RRULE BYWEEKNO needs FREQ=YEARLY and weeks 1…53 or -1…-53' };
        }
        rule.byWeekNo = weeks;
        break;
      }
      case 'BYSETPOS': {
        const positions = signedList(value, 366);
        if (!positions) return { ok: false, error: 'RRULE BYSETPOS must list positions 1…366 or -1…-366' };
        rule.bySetPos = positions;
        break;
      }
      default:
        return { ok: false, error: `Unsupported RRULE part ${name} (supported: ${SUPPORTED})` };
    }
  }
  if (rule.count !== null && rule.until !== null) {
    return { ok: false, error: 'RRULE cannot have both COUNT and UNTIL' };
  }
  return { ok: true, rule };
}

/** The rrule library's options for a checked rule, its series starting at `dtstart` (UTC). */
function rruleOptions(rule: RRule, dtstart: Date): Partial<Options> {
  const weekday = (b: ByDay): Weekday => {
    const day = LIB_WEEKDAYS[b.weekday];
    return b.ordinal === null ? day : day.nth(b.ordinal);
  };
  return {
    freq: LIB_FREQ[rule.freq],
    dtstart,
    interval: rule.interval,
    count: rule.count,
    until: rule.until,
    byweekday: rule.byDay.length ? rule.byDay.map(weekday) : null,
    byhour: rule.byHour.length ? rule.byHour : [dtstart.getUTCHours()],
    byminute: rule.byMinute.length ? rule.byMinute : [dtstart.getUTCMinutes()],
    bysecond: [dtstart.getUTCSeconds()],
    bymonthday: rule.byMonthDay ?? null,
    bymonth: rule.byMonth ?? null,
    byyearday: rule.byYearDay ?? null,
    byweekno: rule.byWeekNo ?? null,
    bysetpos: rule.bySetPos ?? null,
    wkst: LIB_WEEKDAYS[rule.wkst ?? 0],
  };
}

const LIB_FREQ: Record<Freq, Frequency> = {
  DAILY: Frequency.DAILY,
  WEEKLY: Frequency.WEEKLY,
  MONTHLY: Frequency.MONTHLY,
  YEARLY: Frequency.YEARLY,
};
const LIB_WEEKDAYS = [
  LibRRule.MO,
  LibRRule.TU,
  LibRRule.WE,
  LibRRule.TH,
  LibRRule.FR,
  LibRRule.SA,
  LibRRule.SU,
];

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
  const series = new LibRRule(rruleOptions(rule, dtstart));
  const at = series.after(after, false);
  if (!at) return null;
  // its place in the series (COUNT is kept relative to dtstart)
  const index = series.between(new Date(dtstart.getTime() - 1), at, true).length - 1;
  return { at, index };
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
