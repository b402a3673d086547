import { type RandomSource, SeededRandom } from '../common/random';
import type { PromosConfig, PromoType } from '../config/app-config';
import type { ShadowItem } from '../queue/queue-shadow.types';
import {
  type ChoiceRecord,
  choosePromo,
  clipKey,
  type PromoClip,
  type PromoPools,
} from './promo-choice.rules';

/**
 * The promo director's decisions as one pure function:
 * shadow + now-playing + director state + config + now + random → the promos to insert and the
 * next state. No I/O: the director (promo.director.ts) executes the inserts.
 *
 * Idempotency: every insert belongs to a SLOT (`lead_in:<content uid>` or `general:<content uid>`).
 * A slot is marked in the state the moment it is decided (`pending`), becomes `served` once its
 * promo shows up in the shadow, and is forgotten only when its content item starts playing or
 * leaves the queue. A pending slot whose promo never shows up expires after PENDING_TTL_MS (the
 * add really failed), and only then may it be decided again. So however many polls see a slot,
 * and however slow CyTube is to show the add, a slot gets one promo.
 */

/** How long a decided insert may stay invisible before the slot may be decided again. */
export const PENDING_TTL_MS = 90_000;

export type { PromoClip, PromoPool, PromoPools } from './promo-choice.rules';
export { clipKey } from './promo-choice.rules';

export type SlotKind = 'lead_in' | 'general';

export interface SlotMark {
  kind: SlotKind;
  target_uid: number;
  promo_type: PromoType;
  /** `media_type:media_id` of the chosen clip (to adopt an add that came back without a uid). */
  clip_key: string;
  /** The CyTube uid of the inserted promo, once known. */
  uid: number | null;
  at_ms: number;
  status: 'pending' | 'served';
}

export interface DirectorState {
  /** The now-playing uid last seen (content items starting are what the cadence counts). */
  last_np_uid: number | null;
  content_since_general: number;
  last_general_at_ms: number | null;
  /** Sequential order: the next index per pool, `pool:<id>` (persisted, so a restart resumes). */
  seq_index: Record<string, number>;
  /** no_repeat: the last clip chosen per type (persisted). */
  last_clip: Partial<Record<PromoType, string>>;
  slots: Record<string, SlotMark>;
}

export interface PromoInsert {
  slot: string;
  kind: SlotKind;
  promo_type: PromoType;
  clip: PromoClip;
  /** The content item the slot belongs to. */
  target_uid: number;
  /**
   * The uid this promo must sit directly before. A general promo stacked on a lead-in decided in
   * the same round says `target_uid` here; the director puts it before that new lead-in.
   */
  before_uid: number;
  /** FP/VC: the content uid this promo leads into; null for general promos. */
  lead_in_for_uid: number | null;
  pool_id: number;
  /** Why this slot, in words. */
  why: string;
  /** What was weighed and why candidates were left out. */
  record: ChoiceRecord;
}

/** A slot that was due but got no clip (every candidate left out); nothing is marked, it is tried again. */
export interface PromoSkip {
  slot: string;
  kind: SlotKind;
  /** `general`, or the lead-in type. */
  promo_type: 'general' | PromoType;
  target_uid: number;
  why: string;
  record: ChoiceRecord;
}

/** A promo that came back from CyTube without a uid and has now shown up: mark it in the shadow. */
export interface PromoAdoption {
  uid: number;
  slot: string;
  promo_type: PromoType;
  lead_in_for_uid: number | null;
}

export interface PromoWorld {
  pools: PromoPools;
  /** A running immutable event (`active_schedule.is_immutable` and not lock_disabled). */
  immutable_event: boolean;
  /** A bulk load (fire, import to live) in progress: no decision at all. */
  bulk_load?: string | null;
  /** The playlist was reloaded since the last round: follow now-playing without counting it as content. */
  rebaseline?: boolean;
  /** clip key → last start (ms), from the play history (cooldowns). */
  last_played?: ReadonlyMap<string, number>;
}

export type IdleReason = 'disabled' | 'immutable_event' | 'bulk_load' | 'no_now_playing' | 'no_target';

export interface PromoDecision {
  inserts: PromoInsert[];
  skips: PromoSkip[];
  adoptions: PromoAdoption[];
  state: DirectorState;
  idle: IdleReason | null;
  target_uid: number | null;
  general_due: boolean;
  /** Reproducibility: the seed of the random source (when seeded) and draws used. */
  seed: number | null;
  draws: number;
}

export function initialDirectorState(): DirectorState {
  return {
    last_np_uid: null,
    content_since_general: 0,
    last_general_at_ms: null,
    seq_index: {},
    last_clip: {},
    slots: {},
  };
}

export const slotKey = (kind: SlotKind, targetUid: number): string => `${kind}:${targetUid}`;

function cloneState(state: DirectorState): DirectorState {
  const slots: Record<string, SlotMark> = {};
  for (const [key, mark] of Object.entries(state.slots)) slots[key] = { ...mark };
  return { ...state, seq_index: { ...state.seq_index }, last_clip: { ...state.last_clip }, slots };
}

/** The lead-in a content item is due: paid → Viewer's Choice (any length), movie → Feature Presentation. */
export function leadInTypeFor(item: ShadowItem, config: PromosConfig): PromoType | null {
  if (item.is_pay) return 'viewers_choice';
  if ((item.duration_sec ?? 0) >= config.movie_threshold_seconds) return 'feature_presentation';
  return null;
}

/**
 * Advance the state with what this poll shows: count a content item that started, forget slots
 * whose content played or left, promote pending slots whose promo is visible, expire the rest,
 * adopt promos that came back without a uid. Mutates `state` and `items` (both copies).
 */
function observe(
  items: ShadowItem[],
  np: ShadowItem | null,
  state: DirectorState,
  nowMs: number,
  countContent: boolean,
): PromoAdoption[] {
  if (np && np.uid !== state.last_np_uid) {
    if (!np.is_promo && countContent) state.content_since_general += 1;
    state.last_np_uid = np.uid;
  }
  if (state.last_general_at_ms === null) state.last_general_at_ms = nowMs;
  const byUid = new Map(items.map((i) => [i.uid, i]));
  const claimed = new Set(Object.values(state.slots).map((m) => m.uid));
  const adoptions: PromoAdoption[] = [];
  for (const [key, mark] of Object.entries(state.slots)) {
    if (!byUid.has(mark.target_uid) || mark.target_uid === np?.uid) {
      delete state.slots[key];
      continue;
    }
    if (mark.status === 'served') continue;
    if (mark.uid === null) {
      const late = items.find((i) => !i.is_promo && !claimed.has(i.uid) && clipKey(i) === mark.clip_key);
      if (late) {
        mark.uid = late.uid;
        claimed.add(late.uid);
        const lead = mark.kind === 'lead_in' ? mark.target_uid : null;
        adoptions.push({ uid: late.uid, slot: key, promo_type: mark.promo_type, lead_in_for_uid: lead });
        Object.assign(late, { is_promo: true, promo_type: mark.promo_type, lead_in_for_uid: lead });
      }
    }
    if (mark.uid !== null && byUid.has(mark.uid)) mark.status = 'served';
    else if (nowMs - mark.at_ms > PENDING_TTL_MS) delete state.slots[key];
  }
  return adoptions;
}

/** The items after `npIndex` in play order (the list loops), now-playing left out. */
function playOrderAfter(items: readonly ShadowItem[], npIndex: number): ShadowItem[] {
  return [...items.slice(npIndex + 1), ...items.slice(0, npIndex)];
}

/**
 * Builds a decision, recording the random source's seed and how many draws this decision made
 * (a decision can be replayed from its seed).
 */
function decisionBuilder(
  random: RandomSource,
  state: DirectorState,
  adoptions: PromoDecision['adoptions'],
): (
  idle: IdleReason | null,
  inserts: PromoInsert[],
  target: number | null,
  due: boolean,
  skips?: PromoSkip[],
) => PromoDecision {
  const drawsBefore = random instanceof SeededRandom ? random.draws : 0;
  return (idle, inserts, target, due, skips = []) => ({
    inserts,
    skips,
    adoptions,
    state,
    idle,
    target_uid: target,
    general_due: due,
    seed: random instanceof SeededRandom ? random.seed : null,
    draws: random instanceof SeededRandom ? random.draws - drawsBefore : 0,
  });
}

/**
 * One round of the director. Targets only the next CONTENT item after now-playing (never the
 * playing item: no retroactive lead-in); promos never count as content for the cadence.
 * Stacked order `[general][FP|VC][content]`; a general promo is never put after another promo.
 */
export function decidePromos(
  shadowItems: readonly ShadowItem[],
  nowPlayingIndex: number,
  directorState: DirectorState,
  config: PromosConfig,
  nowMs: number,
  random: RandomSource,
  world: PromoWorld,
): PromoDecision {
  const state = cloneState(directorState);
  const items = shadowItems.map((i) => ({ ...i }));
  const np = nowPlayingIndex >= 0 && nowPlayingIndex < items.length ? items[nowPlayingIndex] : null;
  if (world.bulk_load) {
    // Not even observed: what a half-loaded playlist shows is neither content played nor slots gone.
    return decisionBuilder(random, state, [])('bulk_load', [], null, false);
  }
  const counts = config.enabled && !world.immutable_event && !world.rebaseline;
  const adoptions = observe(items, np, state, nowMs, counts);
  const finish = decisionBuilder(random, state, adoptions);
  const decision = (
    idle: IdleReason | null,
    inserts: PromoInsert[] = [],
    target: number | null = null,
    due = false,
    skips: PromoSkip[] = [],
  ): PromoDecision => finish(idle, inserts, target, due, skips);

  if (!config.enabled) return decision('disabled');
  if (world.immutable_event) return decision('immutable_event');
  if (!np) return decision('no_now_playing');
  const order = playOrderAfter(items, nowPlayingIndex);
  const targetAt = order.findIndex((i) => !i.is_promo);
  if (targetAt < 0) return decision('no_target');
  const target = order[targetAt];
  // The promos between now-playing and the target (and now-playing itself when it is a promo).
  const block = [...(np.is_promo ? [np] : []), ...order.slice(0, targetAt)];
  const present = new Set(items.map(clipKey));
  const inserts: PromoInsert[] = [];
  const skips: PromoSkip[] = [];
  const context = {
    config,
    pools: world.pools,
    lastPlayed: world.last_played ?? new Map(),
    present,
    nowMs,
    random,
  };

  // Lead-in (FP or VC), directly before the target.
  const leadType = leadInTypeFor(target, config);
  const leadSlot = slotKey('lead_in', target.uid);
  const leadServed =
    state.slots[leadSlot] !== undefined || items.some((i) => i.is_promo && i.lead_in_for_uid === target.uid);
  if (leadType && config.types[leadType].enabled && !leadServed) {
    const choice = choosePromo(leadType, context, state);
    if (choice.clip && choice.pool) {
      inserts.push({
        slot: leadSlot,
        kind: 'lead_in',
        promo_type: leadType,
        clip: choice.clip,
        target_uid: target.uid,
        before_uid: target.uid,
        lead_in_for_uid: target.uid,
        pool_id: choice.pool.id,
        why: leadInWhy(leadType, target, config),
        record: choice.record,
      });
      state.slots[leadSlot] = mark('lead_in', target.uid, leadType, choice.clip, nowMs);
      present.add(clipKey(choice.clip));
    } else {
      skips.push({
        slot: leadSlot,
        kind: 'lead_in',
        promo_type: leadType,
        target_uid: target.uid,
        why: leadInWhy(leadType, target, config),
        record: choice.record,
      });
    }
  }

  // General promo on the cadence, before the lead-in (if any) — never after a promo or a playing one.
  const due = generalDue(state, config, nowMs);
  const genSlot = slotKey('general', target.uid);
  const existingLeadIn = block.length > 0 ? block[block.length - 1] : null;
  const ownLeadIn = existingLeadIn?.lead_in_for_uid === target.uid ? existingLeadIn : null;
  const blocked = np.is_promo || block.some((i) => i !== ownLeadIn);
  if (due && !blocked && state.slots[genSlot] === undefined) {
    const choice = choosePromo('general', context, state);
    if (choice.clip && choice.type && choice.pool) {
      inserts.push({
        slot: genSlot,
        kind: 'general',
        promo_type: choice.type,
        clip: choice.clip,
        target_uid: target.uid,
        before_uid: ownLeadIn?.uid ?? target.uid,
        lead_in_for_uid: null,
        pool_id: choice.pool.id,
        why: generalWhy(state, config, nowMs),
        record: choice.record,
      });
      state.slots[genSlot] = mark('general', target.uid, choice.type, choice.clip, nowMs);
      state.content_since_general = 0;
      state.last_general_at_ms = nowMs;
    } else {
      skips.push({
        slot: genSlot,
        kind: 'general',
        promo_type: 'general',
        target_uid: target.uid,
        why: generalWhy(state, config, nowMs),
        record: choice.record,
      });
    }
  }
  return decision(null, inserts, target.uid, due, skips);
}

function leadInWhy(type: PromoType, target: ShadowItem, config: PromosConfig): string {
  if (type === 'viewers_choice') return 'before a paid item';
  const length = Math.round((target.duration_sec ?? 0) / 60);
  return `before a movie (${length} min, the threshold is ${Math.round(config.movie_threshold_seconds / 60)} min)`;
}

/** Why a general promo is due (the cadence was read before it was reset). */
function generalWhy(state: DirectorState, config: PromosConfig, nowMs: number): string {
  const n = config.general.every_n_items;
  if (state.content_since_general >= n) {
    const every = n === 1 ? 'after every content item' : `every ${n} content items`;
    return `due ${every} (${state.content_since_general} since the last promo)`;
  }
  const since = Math.round((nowMs - (state.last_general_at_ms ?? nowMs)) / 60_000);
  return `due every ${config.general.every_m_minutes} min (${since} min since the last promo)`;
}

/** A general promo is due after N content items or M minutes, whichever comes first. */
export function generalDue(state: DirectorState, config: PromosConfig, nowMs: number): boolean {
  const everyMs = config.general.every_m_minutes * 60_000;
  return (
    state.content_since_general >= config.general.every_n_items ||
    nowMs - (state.last_general_at_ms ?? nowMs) >= everyMs
  );
}

/**
 * The Viewer's Choice lead-in for one paid item, decided at pay-insert time (the poll path is the
 * safety net). Same slots, so the poll never adds a second one.
 */
export function decideLeadInFor(
  shadowItems: readonly ShadowItem[],
  nowPlayingIndex: number,
  targetUid: number,
  directorState: DirectorState,
  config: PromosConfig,
  nowMs: number,
  random: RandomSource,
  world: PromoWorld,
): PromoDecision {
  const state = cloneState(directorState);
  const np = nowPlayingIndex >= 0 ? shadowItems[nowPlayingIndex] : null;
  const target = shadowItems.find((i) => i.uid === targetUid);
  const finish = decisionBuilder(random, state, []);
  const result = (
    idle: IdleReason | null,
    inserts: PromoInsert[] = [],
    skips: PromoSkip[] = [],
  ): PromoDecision => finish(idle, inserts, targetUid, false, skips);
  if (!config.enabled) return result('disabled');
  if (world.bulk_load) return result('bulk_load');
  if (world.immutable_event) return result('immutable_event');
  if (!target || target.is_promo || np?.uid === targetUid) return result('no_target');
  const type = leadInTypeFor(target, config);
  const key = slotKey('lead_in', targetUid);
  const served =
    state.slots[key] !== undefined || shadowItems.some((i) => i.is_promo && i.lead_in_for_uid === targetUid);
  if (!type || !config.types[type].enabled || served) return result(null);
  const present = new Set(shadowItems.map(clipKey));
  const choice = choosePromo(
    type,
    { config, pools: world.pools, lastPlayed: world.last_played ?? new Map(), present, nowMs, random },
    state,
  );
  const why = leadInWhy(type, target, config);
  if (!choice.clip || !choice.pool) {
    return result(
      null,
      [],
      [{ slot: key, kind: 'lead_in', promo_type: type, target_uid: targetUid, why, record: choice.record }],
    );
  }
  state.slots[key] = mark('lead_in', targetUid, type, choice.clip, nowMs);
  return result(null, [
    {
      slot: key,
      kind: 'lead_in',
      promo_type: type,
      clip: choice.clip,
      target_uid: targetUid,
      before_uid: targetUid,
      lead_in_for_uid: targetUid,
      pool_id: choice.pool.id,
      why,
      record: choice.record,
    },
  ]);
}

function mark(kind: SlotKind, target: number, type: PromoType, clip: PromoClip, nowMs: number): SlotMark {
  return {
    kind,
    target_uid: target,
    promo_type: type,
    clip_key: clipKey(clip),
    uid: null,
    at_ms: nowMs,
    status: 'pending',
  };
}

/**
 * Where to move a promo so it sits directly before `beforeUid`: after the item preceding it in
 * loop order (the promo itself left out). null when `beforeUid` is not in the list.
 */
export function anchorBefore(uids: readonly number[], beforeUid: number, self: number): number | null {
  const others = uids.filter((u) => u !== self);
  const at = others.indexOf(beforeUid);
  if (at < 0) return null;
  return others[(at - 1 + others.length) % others.length];
}

/** The persisted part of the state (app_settings), so a restart resumes the rotation and cadence. */
export interface PersistedDirectorState {
  seq_index: Record<string, number>;
  last_clip: Partial<Record<PromoType, string>>;
  content_since_general: number;
  last_general_at_ms: number | null;
  /** The slot marks too, saved before an insert runs: a crash mid-insert never decides a slot twice. */
  slots: Record<string, SlotMark>;
  last_np_uid: number | null;
}

export function persistedPart(state: DirectorState): PersistedDirectorState {
  return {
    seq_index: { ...state.seq_index },
    last_clip: { ...state.last_clip },
    content_since_general: state.content_since_general,
    last_general_at_ms: state.last_general_at_ms,
    slots: Object.fromEntries(Object.entries(state.slots).map(([k, m]) => [k, { ...m }])),
    last_np_uid: state.last_np_uid,
  };
}

/** A saved state back (missing parts from older versions start empty). */
export function restoredState(value: Partial<PersistedDirectorState>): DirectorState {
  return {
    ...initialDirectorState(),
    seq_index: value.seq_index ?? {},
    last_clip: value.last_clip ?? {},
    content_since_general: value.content_since_general ?? 0,
    last_general_at_ms: value.last_general_at_ms ?? null,
    slots: value.slots ?? {},
    last_np_uid: value.last_np_uid ?? null,
  };
}
