import { SeededRandom } from '../common/random';
import { PROMO_TYPES, type PromosConfig, type PromoType } from '../config/app-config';
import type { ShadowItem } from '../queue/queue-shadow.types';
import { newShadowItem } from '../queue/queue.rules';
import {
  type ChoiceRecord,
  choosePromo,
  clipKey,
  type PoolCandidate,
  type PromoPools,
  type RotationState,
  type TypeCandidate,
} from './promo-choice.rules';
import { decidePromos, type DirectorState, type IdleReason, type PromoWorld } from './promo.rules';

/**
 * "What would the director do next?": the director's own decision function run forward over the
 * current queue — each item plays out in turn (temp items leave, promos it decides are put in
 * place and play too) — until ten decisions are made. Random choices use one seed, so the preview
 * is one possible future; the readout gives the chances behind it.
 */

export interface PreviewStep {
  slot: string;
  kind: 'lead_in' | 'general';
  /** The chosen type, or `general` / the lead-in type when the slot gets nothing. */
  promo_type: PromoType | 'general';
  clip_title: string | null;
  clip: string | null;
  pool_name: string | null;
  /** The item the promo goes before. */
  before_uid: number;
  before_title: string | null;
  /** When the promo would start (ms). */
  at_ms: number;
  why: string;
  /** Why the slot would get nothing, else null. */
  skipped: string | null;
  next_eligible_at_ms: number | null;
  /** The chance of the chosen pool (random picks are one of several). */
  chance: number | null;
}

export interface PreviewResult {
  steps: PreviewStep[];
  idle: IdleReason | null;
}

export const PREVIEW_DECISIONS = 10;
/** Stop after this many items played out (a long queue with no slot due stays cheap). */
const MAX_ITEMS = 400;

export function previewDecisions(
  shadowItems: readonly ShadowItem[],
  nowPlayingIndex: number,
  /** Seconds left of the item playing now. */
  remainingSec: number,
  state: DirectorState,
  config: PromosConfig,
  nowMs: number,
  seed: number,
  world: PromoWorld,
  count = PREVIEW_DECISIONS,
): PreviewResult {
  const random = new SeededRandom(seed);
  let items = shadowItems.map((i) => ({ ...i }));
  let index = nowPlayingIndex;
  let t = nowMs;
  let left = Math.max(0, remainingSec);
  let st = state;
  const lastPlayed = new Map(world.last_played ?? []);
  const steps: PreviewStep[] = [];
  const skipped = new Set<string>();
  let fakeUid = -1;
  for (let played = 0; played <= MAX_ITEMS && steps.length < count; played++) {
    const d = decidePromos(items, index, st, config, t, random, {
      ...world,
      rebaseline: played === 0 ? world.rebaseline : false,
      last_played: lastPlayed,
    });
    if (played === 0 && d.idle && d.idle !== 'no_target') return { steps: [], idle: d.idle };
    if (d.idle && d.idle !== 'no_target') break;
    st = d.state;
    for (const ins of d.inserts) {
      const uid = fakeUid--;
      const at = insertBefore(items, ins.before_uid, {
        uid,
        media_type: ins.clip.media_type,
        media_id: ins.clip.media_id,
        title: ins.clip.title,
        duration_sec: ins.clip.duration_sec,
        temp: true,
        is_promo: true,
        promo_type: ins.promo_type,
        lead_in_for_uid: ins.lead_in_for_uid,
      });
      if (at <= index) index++;
      st.slots[ins.slot] = { ...st.slots[ins.slot], uid, status: 'served' };
      const target = items.find((i) => i.uid === ins.target_uid);
      steps.push({
        slot: ins.slot,
        kind: ins.kind,
        promo_type: ins.promo_type,
        clip_title: ins.clip.title,
        clip: clipKey(ins.clip),
        pool_name: ins.record.chosen?.pool_name ?? null,
        before_uid: ins.target_uid,
        before_title: target?.title ?? null,
        at_ms: t + left * 1000 + secondsBetween(items, index, uid) * 1000,
        why: ins.why,
        skipped: null,
        next_eligible_at_ms: null,
        chance: ins.record.pools.find((p) => p.id === ins.pool_id)?.probability ?? null,
      });
    }
    for (const skip of d.skips) {
      if (skipped.has(skip.slot)) continue;
      skipped.add(skip.slot);
      const target = items.find((i) => i.uid === skip.target_uid);
      steps.push({
        slot: skip.slot,
        kind: skip.kind,
        promo_type: skip.promo_type,
        clip_title: null,
        clip: null,
        pool_name: null,
        before_uid: skip.target_uid,
        before_title: target?.title ?? null,
        at_ms: t + left * 1000 + secondsBetween(items, index, skip.target_uid) * 1000,
        why: skip.why,
        skipped: skip.record.skipped,
        next_eligible_at_ms: skip.record.next_eligible_at_ms,
        chance: null,
      });
    }
    if (items.length === 0 || index < 0) break;
    // The playing item ends: the next one starts (a temp item leaves the list).
    t += left * 1000;
    const leaving = items[index];
    let next = (index + 1) % items.length;
    if (leaving.temp && items.length > 1) {
      items = items.filter((_, k) => k !== index);
      next = index % items.length;
    }
    index = next;
    const now = items[index];
    lastPlayed.set(clipKey(now), t);
    left = now.duration_sec ?? 0;
  }
  return { steps: steps.slice(0, count), idle: null };
}

/** Insert a promo directly before `beforeUid`; returns its index. */
function insertBefore(
  items: ShadowItem[],
  beforeUid: number,
  fields: Parameters<typeof newShadowItem>[0],
): number {
  const at = Math.max(
    0,
    items.findIndex((i) => i.uid === beforeUid),
  );
  items.splice(at, 0, newShadowItem(fields));
  return at;
}

/** Seconds from the end of the playing item to the start of `uid` (loop order). */
function secondsBetween(items: readonly ShadowItem[], index: number, uid: number): number {
  let sum = 0;
  for (let k = 1; k < items.length; k++) {
    const item = items[(index + k) % items.length];
    if (item.uid === uid) return sum;
    sum += item.duration_sec ?? 0;
  }
  return sum;
}

export interface ProbabilityReadout {
  /** General promos: each type's chance, and each pool's (type included). */
  general: { types: TypeCandidate[]; pools: PoolCandidate[] };
  /** Lead-in types: each pool's chance when such a slot comes. */
  lead_ins: Partial<Record<PromoType, PoolCandidate[]>>;
}

/** The chances if a slot were decided now (what is on the playlist and cooling down included). */
export function probabilityReadout(
  items: readonly ShadowItem[],
  state: DirectorState,
  config: PromosConfig,
  pools: PromoPools,
  lastPlayed: ReadonlyMap<string, number>,
  nowMs: number,
): ProbabilityReadout {
  const present = new Set(items.map(clipKey));
  const rotation = (): RotationState => ({
    seq_index: { ...state.seq_index },
    last_clip: { ...state.last_clip },
  });
  const ctx = { config, pools, lastPlayed, present, nowMs, random: new SeededRandom(1) };
  const general: ChoiceRecord = choosePromo('general', ctx, rotation()).record;
  const lead_ins: ProbabilityReadout['lead_ins'] = {};
  for (const type of PROMO_TYPES) {
    if (type !== 'feature_presentation' && type !== 'viewers_choice') continue;
    lead_ins[type] = choosePromo(type, ctx, rotation()).record.pools;
  }
  return { general: { types: general.types, pools: general.pools }, lead_ins };
}
