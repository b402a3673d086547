/**
 * What started playing between two polls, as a pure function of the two observations. The
 * item playing now started `currentTime` ago; items that sat between the previous and the
 * current now-playing in the previous order played in full in between, when their lengths fit
 * in the time that passed (otherwise the playlist was jumped over them, and they did not play).
 */

export interface PlayableItem {
  uid: number;
  media_type: string;
  media_id: string;
  title: string | null;
  duration_sec: number | null;
  is_promo: boolean;
  promo_type: string | null;
  is_pay: boolean;
}

export interface PlayObservation {
  /** The previous poll's play order (null before the first poll of this process). */
  before: readonly PlayableItem[] | null;
  after: readonly PlayableItem[];
  previous: { uid: number | null; current_time_sec: number; at_ms: number } | null;
  now: { uid: number | null; current_time_sec: number; at_ms: number };
}

export interface StartedPlay extends PlayableItem {
  started_at_ms: number;
  inferred: boolean;
}

/** Slack for poll timing and rounding in CyTube's currentTime. */
export const PLAY_SLACK_MS = 5_000;

export function startedPlays(obs: PlayObservation): StartedPlay[] {
  const { now, previous } = obs;
  if (now.uid === null) return [];
  const playing = obs.after.find((i) => i.uid === now.uid);
  if (!playing) return [];
  const startedAt = now.at_ms - now.current_time_sec * 1000;
  const sameItem = previous !== null && previous.uid === now.uid;
  // The same uid again is the same play, unless it started over (a lone permanent item looping).
  if (sameItem && startedAt <= previous.at_ms - previous.current_time_sec * 1000 + PLAY_SLACK_MS) return [];
  const plays: StartedPlay[] = [];
  if (previous && obs.before && !sameItem) {
    plays.push(...inferredBetween(obs.before, previous, now.uid, startedAt));
  }
  plays.push({ ...pick(playing), started_at_ms: startedAt, inferred: false });
  return plays;
}

/** The items between the previous and the current now-playing that fit in the time between them. */
function inferredBetween(
  before: readonly PlayableItem[],
  previous: NonNullable<PlayObservation['previous']>,
  currentUid: number,
  currentStartedAt: number,
): StartedPlay[] {
  const from = before.findIndex((i) => i.uid === previous.uid);
  const to = before.findIndex((i) => i.uid === currentUid);
  if (from < 0 || to < 0) return [];
  const between: PlayableItem[] = [];
  for (let k = (from + 1) % before.length; k !== to; k = (k + 1) % before.length) between.push(before[k]);
  if (between.length === 0 || between.some((i) => !i.duration_sec)) return [];
  // Back from the current item's start; the first of them must have started after the previous poll.
  let t = currentStartedAt;
  const plays: StartedPlay[] = [];
  for (const item of [...between].reverse()) {
    t -= (item.duration_sec as number) * 1000;
    plays.unshift({ ...pick(item), started_at_ms: t, inferred: true });
  }
  return t >= previous.at_ms - PLAY_SLACK_MS ? plays : [];
}

function pick(item: PlayableItem): PlayableItem {
  return {
    uid: item.uid,
    media_type: item.media_type,
    media_id: item.media_id,
    title: item.title,
    duration_sec: item.duration_sec,
    is_promo: item.is_promo,
    promo_type: item.promo_type,
    is_pay: item.is_pay,
  };
}
