import type { RandomSource } from '../common/random';
import { GENERAL_PROMO_TYPES, PROMO_WEEKDAYS, type PromosConfig, type PromoType } from '../config/app-config';

/**
 * Which promo clip plays in a slot, as pure rules (clock, random source and play history are
 * inputs). Like a filler picker: a weighted choice of type, then of pool among the type's
 * eligible pools, then a clip by the type's order. A pool is eligible when it has clips, its
 * time-of-day window is open and its own cooldown has passed; a clip when it is not on the
 * playlist, its repeat cooldown has passed and (no_repeat) it was not the type's last clip.
 * When nothing is eligible the slot is skipped, and the record says when the next clip will be.
 * Every choice returns a record of what was weighed and why each candidate was left out.
 */

export interface PromoClip {
  media_type: string;
  media_id: string;
  title: string | null;
  duration_sec: number | null;
}

/** One saved playlist tagged with a promo type. */
export interface PromoPool {
  id: number;
  name: string;
  clips: readonly PromoClip[];
}

/** Per type, its pools in playlist order. */
export type PromoPools = Partial<Record<PromoType, readonly PromoPool[]>>;

export const WEEKDAYS = PROMO_WEEKDAYS;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local hours a pool may play: `start` ≤ t < `end` ("HH:MM"); `end` < `start` runs past midnight. */
export interface TimeWindow {
  start: string;
  end: string;
  /** The days the window opens on (empty = every day). */
  days: readonly Weekday[];
}

export interface PoolRules {
  weight: number;
  cooldown_minutes: number;
  window: TimeWindow | null;
}

export const DEFAULT_POOL_RULES: PoolRules = { weight: 1, cooldown_minutes: 0, window: null };

/** The part of the director's state a choice reads and advances. */
export interface RotationState {
  /** Sequential order: the next index per pool (`pool:<id>`). */
  seq_index: Record<string, number>;
  /** no_repeat: the last clip chosen per type. */
  last_clip: Partial<Record<PromoType, string>>;
}

export interface ChoiceContext {
  config: PromosConfig;
  pools: PromoPools;
  /** clip key → when it last started playing (ms), from the play history. */
  lastPlayed: ReadonlyMap<string, number>;
  /** Clip keys on the playlist now (CyTube refuses a media twice). */
  present: ReadonlySet<string>;
  nowMs: number;
  random: RandomSource;
}

export interface TypeCandidate {
  type: PromoType;
  weight: number;
  /** Chance this type is chosen now (0 when not eligible). */
  probability: number;
  excluded: string | null;
}

export interface PoolCandidate {
  id: number;
  name: string;
  type: PromoType;
  weight: number;
  /** Chance this pool is chosen now, type choice included. */
  probability: number;
  excluded: string | null;
}

export interface ClipExclusion {
  clip: string;
  title: string | null;
  why: string;
}

export interface ChoiceRecord {
  types: TypeCandidate[];
  pools: PoolCandidate[];
  /** Clips left out (of the pools considered), at most 20. */
  excluded_clips: ClipExclusion[];
  chosen: { type: PromoType; pool_id: number; pool_name: string; clip: string } | null;
  /** Why the slot was skipped, in words (null when a clip was chosen). */
  skipped: string | null;
  /** When nothing was eligible: the earliest moment a clip becomes eligible (null = not by waiting). */
  next_eligible_at_ms: number | null;
}

export interface Choice {
  clip: PromoClip | null;
  type: PromoType | null;
  pool: PromoPool | null;
  record: ChoiceRecord;
}

export const clipKey = (clip: { media_type: string; media_id: string }): string =>
  `${clip.media_type}:${clip.media_id}`;

const MAX_EXCLUDED = 20;

const SKIP_WORDS: Record<string, string> = {
  'no playlist is tagged with this type': 'no playlist has this promo type',
  'turned off': 'this promo type is turned off',
  'weight 0': 'the weight is 0',
};

export function poolRulesOf(config: PromosConfig, poolId: number): PoolRules {
  const own = config.pools?.[String(poolId)];
  return {
    weight: own?.weight ?? DEFAULT_POOL_RULES.weight,
    cooldown_minutes: own?.cooldown_minutes ?? DEFAULT_POOL_RULES.cooldown_minutes,
    window: own?.window ?? null,
  };
}

// --- time of day ---

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const SHORT_DAYS: Record<string, Weekday> = {
  Mon: 'MO',
  Tue: 'TU',
  Wed: 'WE',
  Thu: 'TH',
  Fri: 'FR',
  Sat: 'SA',
  Sun: 'SU',
};

/** The local weekday and minute of the day at `ms` in `timeZone`. */
export function localTime(ms: number, timeZone: string): { day: Weekday; minute: number } {
  let day: Weekday = 'MO';
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type === 'weekday') day = SHORT_DAYS[part.value] ?? 'MO';
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

export const minuteOfDay = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

const previousDay = (day: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7];

export function windowOpen(window: TimeWindow, ms: number, timeZone: string): boolean {
  const { day, minute } = localTime(ms, timeZone);
  const start = minuteOfDay(window.start);
  const end = minuteOfDay(window.end);
  const allowed = (d: Weekday): boolean => window.days.length === 0 || window.days.includes(d);
  if (start === end) return allowed(day); // all day on its days
  if (start < end) return minute >= start && minute < end && allowed(day);
  // Past midnight: the small hours belong to the day the window opened.
  if (minute >= start) return allowed(day);
  return minute < end && allowed(previousDay(day));
}

/** The next moment (ms, on a minute) the window is open; `ms` itself when open now. */
export function nextWindowOpen(window: TimeWindow, ms: number, timeZone: string): number | null {
  if (windowOpen(window, ms, timeZone)) return ms;
  const start = window.start === window.end ? 0 : minuteOfDay(window.start);
  let t = Math.ceil(ms / 60_000) * 60_000;
  // Jump to the start time, then day by day. Across a DST change the jump lands an hour off:
  // corrected when the corrected moment is open.
  for (let step = 0; step < 32; step++) {
    if (windowOpen(window, t, timeZone)) return t;
    const delta = (start - localTime(t, timeZone).minute + 1440) % 1440 || 1440;
    t += delta * 60_000;
    const off = localTime(t, timeZone).minute;
    if (off !== start) {
      const fix = (((start - off + 2160) % 1440) - 720) * 60_000;
      if (windowOpen(window, t + fix, timeZone)) t += fix;
    }
  }
  return null;
}

export function describeWindow(window: TimeWindow): string {
  const days = window.days.length === 0 || window.days.length === 7 ? 'every day' : window.days.join(', ');
  return window.start === window.end ? `all day, ${days}` : `${window.start}–${window.end}, ${days}`;
}

// --- eligibility ---

const minutes = (ms: number): string => {
  const m = Math.max(1, Math.round(ms / 60_000));
  return m >= 120 ? `${Math.round(m / 60)} h` : `${m} min`;
};

interface Exclusion {
  why: string;
  /** When this exclusion lifts by waiting (null = waiting does not help). */
  untilMs: number | null;
}

function clipExclusion(
  clip: PromoClip,
  type: PromoType,
  ctx: ChoiceContext,
  state: RotationState,
  allowLast: boolean,
): Exclusion | null {
  const key = clipKey(clip);
  if (ctx.present.has(key)) return { why: 'already on the playlist', untilMs: null };
  const cooldownMs = ctx.config.general.clip_cooldown_minutes * 60_000;
  const last = ctx.lastPlayed.get(key);
  if (last !== undefined && cooldownMs > 0 && ctx.nowMs - last < cooldownMs) {
    return {
      why: `played ${minutes(ctx.nowMs - last)} ago (clip cooldown ${minutes(cooldownMs)})`,
      untilMs: last + cooldownMs,
    };
  }
  if (ctx.config.general.no_repeat && !allowLast && state.last_clip[type] === key) {
    return { why: 'the last clip of this type (no repeat)', untilMs: null };
  }
  return null;
}

function poolExclusion(pool: PromoPool, rules: PoolRules, ctx: ChoiceContext): Exclusion | null {
  if (pool.clips.length === 0) return { why: 'the playlist is empty', untilMs: null };
  if (rules.weight <= 0) return { why: 'weight 0', untilMs: null };
  if (rules.window && !windowOpen(rules.window, ctx.nowMs, ctx.config.timezone)) {
    return {
      why: `outside its hours (${describeWindow(rules.window)})`,
      untilMs: nextWindowOpen(rules.window, ctx.nowMs, ctx.config.timezone),
    };
  }
  const cooldownMs = rules.cooldown_minutes * 60_000;
  if (cooldownMs > 0) {
    let last = -Infinity;
    for (const clip of pool.clips) last = Math.max(last, ctx.lastPlayed.get(clipKey(clip)) ?? -Infinity);
    if (ctx.nowMs - last < cooldownMs) {
      return {
        why: `a clip of it played ${minutes(ctx.nowMs - last)} ago (pool cooldown ${minutes(cooldownMs)})`,
        untilMs: last + cooldownMs,
      };
    }
  }
  return null;
}

interface PoolOption {
  pool: PromoPool;
  rules: PoolRules;
  clips: PromoClip[];
}

interface TypeOption {
  type: PromoType;
  weight: number;
  pools: PoolOption[];
}

/** A pool's eligible clips, noting the ones left out and the earliest moment one comes back. */
function evaluatePool(
  type: PromoType,
  pool: PromoPool,
  ctx: ChoiceContext,
  state: RotationState,
  record: ChoiceRecord,
  soonest: { ms: number | null },
  allowLast: boolean,
): { option: PoolOption | null; excluded: string | null } {
  const rules = poolRulesOf(ctx.config, pool.id);
  const poolOut = poolExclusion(pool, rules, ctx);
  const clips: PromoClip[] = [];
  let clipSoonest: number | null = null;
  for (const clip of pool.clips) {
    const out = clipExclusion(clip, type, ctx, state, allowLast);
    if (!out) {
      clips.push(clip);
      continue;
    }
    if (out.untilMs !== null) {
      clipSoonest = clipSoonest === null ? out.untilMs : Math.min(clipSoonest, out.untilMs);
    }
    if (!poolOut && record.excluded_clips.length < MAX_EXCLUDED) {
      record.excluded_clips.push({ clip: clipKey(clip), title: clip.title, why: out.why });
    }
  }
  const comesBack = (ms: number | null): void => {
    if (ms !== null) soonest.ms = soonest.ms === null ? ms : Math.min(soonest.ms, ms);
  };
  if (poolOut) {
    if (poolOut.untilMs !== null && pool.clips.length > 0) {
      comesBack(Math.max(poolOut.untilMs, clipSoonest ?? poolOut.untilMs));
    }
    return { option: null, excluded: poolOut.why };
  }
  if (clips.length === 0) {
    comesBack(clipSoonest);
    return { option: null, excluded: 'every clip is left out' };
  }
  return { option: { pool, rules, clips }, excluded: null };
}

/** Weighted draw (one draw); ties in weight are shuffled first so no position is favoured. */
function weightedPick<T>(options: readonly T[], weightOf: (o: T) => number, random: RandomSource): T {
  if (options.length === 1) return options[0];
  const shuffled = [...options];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const total = shuffled.reduce((sum, o) => sum + weightOf(o), 0);
  let r = random.next() * total;
  for (const o of shuffled) {
    r -= weightOf(o);
    if (r < 0) return o;
  }
  return shuffled[shuffled.length - 1];
}

/**
 * Choose the clip for a slot: `general` weighs the enabled general types, a lead-in type
 * (feature_presentation, viewers_choice) uses only its own pools. Advances `state` (sequential
 * cursor, last clip) when a clip is chosen.
 */
export function choosePromo(slot: 'general' | PromoType, ctx: ChoiceContext, state: RotationState): Choice {
  const record: ChoiceRecord = {
    types: [],
    pools: [],
    excluded_clips: [],
    chosen: null,
    skipped: null,
    next_eligible_at_ms: null,
  };
  const soonest = { ms: null as number | null };
  const types = slot === 'general' ? GENERAL_PROMO_TYPES : [slot];
  const options: TypeOption[] = [];
  const poolCandidates: { candidate: PoolCandidate; type: PromoType }[] = [];
  for (const type of types) {
    const settings = ctx.config.types[type];
    const weight = slot === 'general' ? (settings.weight ?? 1) : 1;
    const pools = ctx.pools[type] ?? [];
    let typeOut: string | null = null;
    if (!settings.enabled) typeOut = 'turned off';
    else if (weight <= 0) typeOut = 'weight 0';
    else if (pools.length === 0) typeOut = 'no playlist is tagged with this type';
    const marks = { clips: record.excluded_clips.length, pools: poolCandidates.length };
    let eligiblePools: PoolOption[] = [];
    // no_repeat yields when the type's last clip is the only one left.
    for (const allowLast of [false, true]) {
      record.excluded_clips.length = marks.clips;
      poolCandidates.length = marks.pools;
      eligiblePools = [];
      for (const pool of pools) {
        const { option, excluded } = typeOut
          ? { option: null, excluded: `its type is ${typeOut}` }
          : evaluatePool(type, pool, ctx, state, record, soonest, allowLast);
        if (option) eligiblePools.push(option);
        const rules = poolRulesOf(ctx.config, pool.id);
        poolCandidates.push({
          candidate: { id: pool.id, name: pool.name, type, weight: rules.weight, probability: 0, excluded },
          type,
        });
      }
      const noRepeatBlocked = record.excluded_clips
        .slice(marks.clips)
        .some((c) => c.clip === state.last_clip[type] && c.why.includes('no repeat'));
      if (eligiblePools.length > 0 || !noRepeatBlocked || typeOut) break;
    }
    if (!typeOut && eligiblePools.length === 0) typeOut = 'no pool is eligible now';
    record.types.push({ type, weight, probability: 0, excluded: typeOut });
    if (!typeOut) options.push({ type, weight, pools: eligiblePools });
  }

  // The readout: P(type) among eligible types, P(pool) = P(type) × the pool's share.
  const totalTypeWeight = options.reduce((sum, o) => sum + o.weight, 0);
  for (const t of record.types) {
    const option = options.find((o) => o.type === t.type);
    if (option) t.probability = option.weight / totalTypeWeight;
  }
  for (const { candidate, type } of poolCandidates) {
    const option = options.find((o) => o.type === type);
    const own = option?.pools.find((p) => p.pool.id === candidate.id);
    if (!option || !own) continue;
    const poolTotal = option.pools.reduce((sum, p) => sum + p.rules.weight, 0);
    candidate.probability = (option.weight / totalTypeWeight) * (own.rules.weight / poolTotal);
  }
  record.pools = poolCandidates.map((p) => p.candidate);

  if (options.length === 0) {
    record.next_eligible_at_ms = soonest.ms;
    // One reason for every type (e.g. none has a playlist) is said as such.
    const reasons = new Set(record.types.map((t) => t.excluded));
    const only = reasons.size === 1 ? SKIP_WORDS[record.types[0].excluded ?? ''] : undefined;
    record.skipped =
      soonest.ms !== null
        ? 'every clip is cooling down or outside its hours'
        : (only ?? 'no clip can be played (see why each pool is left out)');
    return { clip: null, type: null, pool: null, record };
  }
  const typeOption = weightedPick(options, (o) => o.weight, ctx.random);
  const poolOption = weightedPick(typeOption.pools, (p) => p.rules.weight, ctx.random);
  const clip = pickInPool(typeOption.type, poolOption, ctx, state);
  state.last_clip[typeOption.type] = clipKey(clip);
  record.chosen = {
    type: typeOption.type,
    pool_id: poolOption.pool.id,
    pool_name: poolOption.pool.name,
    clip: clipKey(clip),
  };
  return { clip, type: typeOption.type, pool: poolOption.pool, record };
}

/** Sequential: the next eligible clip from the pool's cursor (which then moves past it); random: one draw. */
function pickInPool(
  type: PromoType,
  option: PoolOption,
  ctx: ChoiceContext,
  state: RotationState,
): PromoClip {
  if (ctx.config.types[type].order !== 'sequential') return option.clips[ctx.random.int(option.clips.length)];
  const all = option.pool.clips;
  const eligible = new Set(option.clips.map(clipKey));
  const cursorKey = `pool:${option.pool.id}`;
  const start = state.seq_index[cursorKey] ?? 0;
  for (let k = 0; k < all.length; k++) {
    const index = (start + k) % all.length;
    if (!eligible.has(clipKey(all[index]))) continue;
    state.seq_index[cursorKey] = (index + 1) % all.length;
    return all[index];
  }
  return option.clips[0];
}
