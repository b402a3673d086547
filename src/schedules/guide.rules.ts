import { nextOccurrence, parseRrule } from './schedules.rules';

/**
 * The schedule guide: every fire in a window (recurring ones expanded), each with its estimated
 * end (the event playlist's length), and every pair that overlaps — a later fire clears the
 * queue of an event still playing.
 */

export interface GuideSchedule {
  id: number;
  label: string;
  fire_at: Date;
  is_recurring: boolean;
  rrule: string | null;
  is_active: boolean;
  fired_at: Date | null;
  playlist_name: string | null;
  fallback_playlist_name: string | null;
  is_immutable: boolean;
  /** The event playlist's length (null when unknown or empty). */
  duration_sec: number | null;
}

export interface GuideEntry {
  schedule_id: number;
  label: string;
  starts_at: string;
  /** Estimated from the playlist's length; null when it has none. */
  ends_at: string | null;
  playlist_name: string | null;
  fallback_playlist_name: string | null;
  is_immutable: boolean;
  is_recurring: boolean;
}

export interface GuideOverlap {
  /** Indexes into `entries`, earlier first. */
  first: number;
  second: number;
}

export interface Guide {
  from: string;
  to: string;
  entries: GuideEntry[];
  overlaps: GuideOverlap[];
}

/** At most this many fires of one schedule in the window (an hourly rule stays readable). */
const MAX_PER_SCHEDULE = 60;

export function buildGuide(schedules: readonly GuideSchedule[], fromMs: number, days = 7): Guide {
  const toMs = fromMs + days * 86_400_000;
  const entries: GuideEntry[] = [];
  for (const s of schedules) {
    if (!s.is_active) continue;
    for (const at of firesIn(s, fromMs, toMs)) {
      entries.push({
        schedule_id: s.id,
        label: s.label,
        starts_at: new Date(at).toISOString(),
        ends_at: s.duration_sec ? new Date(at + s.duration_sec * 1000).toISOString() : null,
        playlist_name: s.playlist_name,
        fallback_playlist_name: s.fallback_playlist_name,
        is_immutable: s.is_immutable,
        is_recurring: s.is_recurring,
      });
    }
  }
  entries.sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.schedule_id - b.schedule_id);
  const overlaps: GuideOverlap[] = [];
  for (let i = 0; i < entries.length; i++) {
    const end = entries[i].ends_at ?? entries[i].starts_at;
    for (let j = i + 1; j < entries.length && entries[j].starts_at < end; j++) {
      overlaps.push({ first: i, second: j });
    }
  }
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), entries, overlaps };
}

/** The fire times of one schedule in [from, to). */
function firesIn(s: GuideSchedule, fromMs: number, toMs: number): number[] {
  const first = s.fire_at.getTime();
  if (!s.is_recurring || !s.rrule) {
    const fired = s.fired_at !== null && s.fired_at.getTime() >= first;
    return !fired && first >= fromMs && first < toMs ? [first] : [];
  }
  const parsed = parseRrule(s.rrule);
  if (!parsed.ok) return first >= fromMs && first < toMs ? [first] : [];
  const out: number[] = [];
  if (first >= fromMs && first < toMs) out.push(first);
  let after = new Date(Math.max(first, fromMs - 1));
  while (out.length < MAX_PER_SCHEDULE) {
    const next = nextOccurrence(parsed.rule, s.fire_at, after);
    if (!next || next.at.getTime() >= toMs) break;
    if (next.at.getTime() >= fromMs && !out.includes(next.at.getTime())) out.push(next.at.getTime());
    after = next.at;
  }
  return out;
}
