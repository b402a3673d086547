import { SeededRandom } from '../common/random';
import { PromosConfig, type PromoType } from '../config/app-config';
import { newShadowItem } from '../queue/queue.rules';
import type { ShadowItem } from '../queue/queue-shadow.types';
import {
  anchorBefore,
  decideLeadInFor,
  decidePromos,
  type DirectorState,
  initialDirectorState,
  PENDING_TTL_MS,
  type PromoClip,
  type PromoPools,
} from './promo.rules';

const T0 = Date.UTC(2026, 5, 14, 12, 0, 0);

function clip(id: string): PromoClip {
  return { media_type: 'cm', media_id: id, title: id, duration_sec: 20 };
}
/** One pool per type, ids 1… in type order. */
function poolsOf(clips: Partial<Record<PromoType, PromoClip[]>>): PromoPools {
  let id = 0;
  return Object.fromEntries(
    Object.entries(clips).map(([type, list]) => [type, [{ id: ++id, name: `${type} pool`, clips: list }]]),
  );
}
const POOLS: PromoPools = poolsOf({
  channel_identity: [clip('ci1'), clip('ci2'), clip('ci3')],
  event: [clip('ev1'), clip('ev2')],
  mod_shoutout: [clip('ms1'), clip('ms2')],
  feature_presentation: [clip('fp1'), clip('fp2')],
  viewers_choice: [clip('vc1'), clip('vc2')],
});

function content(uid: number, extra: Partial<ShadowItem> = {}): ShadowItem {
  return newShadowItem({
    uid,
    media_type: 'cm',
    media_id: `c${uid}`,
    duration_sec: 600,
    temp: false,
    ...extra,
  });
}
const movie = (uid: number): ShadowItem => content(uid, { duration_sec: 5400 });
const paid = (uid: number, extra: Partial<ShadowItem> = {}): ShadowItem =>
  content(uid, { is_pay: true, paid_by: 'alice', tier: 'queue', temp: true, ...extra });
function promo(uid: number, type: PromoType, media: string, leadFor: number | null = null): ShadowItem {
  return newShadowItem({
    uid,
    media_type: 'cm',
    media_id: media,
    duration_sec: 20,
    is_promo: true,
    promo_type: type,
    lead_in_for_uid: leadFor,
  });
}

function config(patch: { n?: number; m?: number; noRepeat?: boolean; enabled?: boolean } = {}): PromosConfig {
  const c = new PromosConfig();
  c.general.every_n_items = patch.n ?? 2;
  c.general.every_m_minutes = patch.m ?? 600;
  c.general.no_repeat = patch.noRepeat ?? true;
  c.enabled = patch.enabled ?? true;
  return c;
}

interface Poll {
  items: ShadowItem[];
  /** uid now playing. */
  np: number;
  /** Minutes after T0. */
  at?: number;
  immutable?: boolean;
}

/**
 * Replays recorded poll snapshots through decidePromos, like the director does: each decided
 * insert gets uid 900+ (the add's answer) unless `noUid` says the add came back without one.
 * Returns the inserts of every poll as `kind:type>before` strings.
 */
function replay(
  polls: Poll[],
  cfg = config(),
  options: { noUid?: boolean; seed?: number; pools?: PromoPools } = {},
): { perPoll: string[][]; state: DirectorState; adopted: number[][] } {
  let state = initialDirectorState();
  let nextUid = 900;
  const random = new SeededRandom(options.seed ?? 1);
  const perPoll: string[][] = [];
  const adopted: number[][] = [];
  for (const poll of polls) {
    const npIndex = poll.items.findIndex((i) => i.uid === poll.np);
    const d = decidePromos(poll.items, npIndex, state, cfg, T0 + (poll.at ?? 0) * 60_000, random, {
      pools: options.pools ?? POOLS,
      immutable_event: poll.immutable ?? false,
    });
    state = d.state;
    for (const ins of d.inserts) {
      if (!options.noUid) state.slots[ins.slot].uid = nextUid++;
    }
    perPoll.push(d.inserts.map((i) => `${i.kind}:${i.promo_type}>${i.before_uid}`));
    adopted.push(d.adoptions.map((a) => a.uid));
  }
  return { perPoll, state, adopted };
}

const kinds = (rows: string[][]): string[][] => rows.map((r) => r.map((s) => s.replace(/:[a-z_]+>/, '>')));

describe('decidePromos on recorded poll sequences', () => {
  const A = content(1);
  const B = content(2);
  const C = content(3);
  const D = content(4);
  const E = content(5);

  it('inserts one general promo per N content items, once per slot however many polls see it', () => {
    const G1 = promo(900, 'channel_identity', 'x1');
    const G2 = promo(901, 'event', 'x2');
    const { perPoll } = replay([
      { items: [A, B, C, D, E], np: 1 },
      { items: [A, B, C, D, E], np: 1 },
      { items: [A, B, C, D, E], np: 2 }, // 2 content items started → due before C
      { items: [A, B, C, D, E], np: 2 }, // the add is not visible yet: pending, nothing new
      { items: [A, B, G1, C, D, E], np: 2 },
      { items: [A, B, G1, C, D, E], np: 900 }, // a promo playing does not count
      { items: [A, B, C, D, E], np: 3 },
      { items: [A, B, C, D, E], np: 3 },
      { items: [A, B, C, D, E], np: 4 }, // C, D → due before E
      { items: [A, B, C, D, G2, E], np: 4 },
      { items: [A, B, C, D, G2, E], np: 4 },
    ]);
    expect(kinds(perPoll)).toEqual([[], [], ['general>3'], [], [], [], [], [], ['general>5'], [], []]);
  });

  it('slow CyTube: the promo shows up two polls later (misplaced at the end) and is never inserted twice', () => {
    const late = promo(900, 'channel_identity', 'late');
    const { perPoll, state } = replay([
      { items: [A, B, C, D], np: 1 },
      { items: [A, B, C, D], np: 2 },
      { items: [A, B, C, D], np: 2, at: 0.05 },
      { items: [A, B, C, D], np: 2, at: 0.1 },
      { items: [A, B, C, D, late], np: 2, at: 0.15 },
      { items: [A, B, C, D, late], np: 2, at: 10 },
    ]);
    expect(kinds(perPoll)).toEqual([[], ['general>3'], [], [], [], []]);
    expect(state.slots['general:3']).toMatchObject({ status: 'served', uid: 900 });
  });

  it('an add that answered without a uid is adopted when it shows up (no second insert)', () => {
    const cfg = config({ n: 100 });
    const P = paid(7);
    const vcLate = newShadowItem({ uid: 950, media_type: 'cm', media_id: 'vc1', temp: true });
    const vcLate2 = newShadowItem({ uid: 950, media_type: 'cm', media_id: 'vc2', temp: true });
    const polls = (lateItem: ShadowItem): Poll[] => [
      { items: [A, P, B], np: 1 },
      { items: [A, P, B], np: 1 },
      { items: [A, P, B, lateItem], np: 1 },
      { items: [A, P, B, lateItem], np: 1 },
    ];
    const first = replay(polls(vcLate), cfg, { noUid: true, seed: 3 });
    const chosen = first.state.slots['lead_in:7'].clip_key === 'cm:vc1' ? vcLate : vcLate2;
    const { perPoll, adopted, state } = replay(polls(chosen), cfg, { noUid: true, seed: 3 });
    expect(perPoll).toEqual([['lead_in:viewers_choice>7'], [], [], []]);
    expect(adopted).toEqual([[], [], [950], []]);
    expect(state.slots['lead_in:7']).toMatchObject({ status: 'served', uid: 950 });
  });

  it('a pending insert that never shows up expires after the TTL and the slot is decided again', () => {
    const P = paid(7);
    const ttlMin = PENDING_TTL_MS / 60_000;
    const { perPoll } = replay(
      [
        { items: [A, P, B], np: 1 },
        { items: [A, P, B], np: 1, at: ttlMin - 0.1 },
        { items: [A, P, B], np: 1, at: ttlMin + 0.1 },
        { items: [A, P, B], np: 1, at: ttlMin + 0.2 },
      ],
      config({ n: 100 }),
    );
    expect(kinds(perPoll)).toEqual([['lead_in>7'], [], ['lead_in>7'], []]);
  });

  it('an item removed mid-way: its slot is forgotten and the cadence is not fired twice', () => {
    const P = paid(7);
    const { perPoll } = replay([
      { items: [A, B, P, C, D], np: 1 },
      { items: [A, B, P, C, D], np: 2 }, // A, B → due; P next → VC + general
      { items: [A, B, C, D], np: 2 }, // P cancelled before the promos showed up
      { items: [A, B, C, D], np: 2 },
      { items: [A, B, C, D], np: 3 },
      { items: [A, B, C, D], np: 4 }, // C, D → due again
    ]);
    expect(kinds(perPoll)).toEqual([[], ['lead_in>7', 'general>7'], [], [], [], ['general>1']]);
  });

  it('loop wrap: a permanent movie gets a Feature Presentation each time round, temp promos play out', () => {
    const M = movie(2);
    const cfg = config({ n: 100 });
    const fp = (uid: number, media: string): ShadowItem => promo(uid, 'feature_presentation', media, 2);
    const { perPoll } = replay(
      [
        { items: [A, M, C], np: 1 },
        { items: [A, fp(900, 'fp1'), M, C], np: 1 },
        { items: [A, fp(900, 'fp1'), M, C], np: 900 },
        { items: [A, M, C], np: 2 }, // the FP (temp) played out; no retroactive lead-in
        { items: [A, M, C], np: 3 },
        { items: [A, M, C], np: 1 }, // wrapped: the movie is next again
        { items: [A, fp(901, 'fp2'), M, C], np: 1 },
      ],
      cfg,
    );
    expect(kinds(perPoll)).toEqual([['lead_in>2'], [], [], [], [], ['lead_in>2'], []]);
  });

  it('a paid item inserted between polls: served by the pay-time VC, or by the poll as a safety net', () => {
    const P = paid(7);
    const vc = promo(950, 'viewers_choice', 'vc1', 7);
    const cfg = config({ n: 100 });
    const served = replay(
      [
        { items: [A, B], np: 1 },
        { items: [A, vc, P, B], np: 1 },
      ],
      cfg,
    );
    expect(kinds(served.perPoll)).toEqual([[], []]);
    const net = replay(
      [
        { items: [A, B], np: 1 },
        { items: [A, P, B], np: 1 },
        { items: [A, P, B], np: 1 },
      ],
      cfg,
    );
    expect(net.perPoll).toEqual([[], ['lead_in:viewers_choice>7'], []]);
  });

  it('an immutable event starting: nothing is inserted and event items do not count', () => {
    const { perPoll } = replay([
      { items: [A, B, C, D, E], np: 1 },
      { items: [A, B, C, D, E], np: 2, immutable: true },
      { items: [A, B, C, D, E], np: 3, immutable: true },
      { items: [A, B, C, D, E], np: 4 }, // event over: A, D are the two content items counted
    ]);
    expect(kinds(perPoll)).toEqual([[], [], [], ['general>5']]);
  });

  it('stacked order: lead-in first, the general promo goes before it', () => {
    const P = movie(7);
    const fresh = replay([
      { items: [A, B, P], np: 1 },
      { items: [A, B, P], np: 2 },
    ]);
    expect(fresh.perPoll).toEqual([[], ['lead_in:feature_presentation>7', 'general:channel_identity>7']]);
    const withLeadIn = replay([
      { items: [A, B, promo(950, 'feature_presentation', 'fp1', 7), P], np: 1 },
      { items: [A, B, promo(950, 'feature_presentation', 'fp1', 7), P], np: 2 },
    ]);
    expect(kinds(withLeadIn.perPoll)).toEqual([[], ['general>950']]);
  });

  it('never a promo before a promo: no general promo while a promo plays or sits before the target', () => {
    const orphan = promo(950, 'event', 'ev1');
    const { perPoll } = replay([
      { items: [A, B, orphan, C], np: 1 },
      { items: [A, B, orphan, C], np: 2 }, // due, but a promo is already right before C
      { items: [A, B, orphan, C], np: 950 }, // a promo is playing
      { items: [A, B, C, D], np: 3 }, // still due (C started): before D
    ]);
    expect(kinds(perPoll)).toEqual([[], [], [], ['general>4']]);
  });

  it('no retroactive lead-in for the playing item; a paid movie gets VC only', () => {
    const cfg = config({ n: 100 });
    expect(replay([{ items: [movie(1), B], np: 1 }], cfg).perPoll).toEqual([[]]);
    expect(replay([{ items: [paid(1), B], np: 1 }], cfg).perPoll).toEqual([[]]);
    const paidMovie = paid(2, { duration_sec: 7200 });
    expect(replay([{ items: [A, paidMovie], np: 1 }], cfg).perPoll).toEqual([['lead_in:viewers_choice>2']]);
  });

  it('movie threshold: 3599 s is not a movie, 3600 s is', () => {
    const cfg = config({ n: 100 });
    expect(replay([{ items: [A, content(2, { duration_sec: 3599 })], np: 1 }], cfg).perPoll).toEqual([[]]);
    expect(replay([{ items: [A, content(2, { duration_sec: 3600 })], np: 1 }], cfg).perPoll).toEqual([
      ['lead_in:feature_presentation>2'],
    ]);
  });

  it('the minutes cadence fires on its own; disabled promos and disabled types insert nothing', () => {
    const items = [A, B, C];
    expect(
      kinds(
        replay(
          [
            { items, np: 1 },
            { items, np: 1, at: 19.9 },
            { items, np: 1, at: 20 },
          ],
          config({ n: 100, m: 20 }),
        ).perPoll,
      ),
    ).toEqual([[], [], ['general>2']]);
    expect(replay([{ items: [A, paid(2)], np: 1 }], config({ enabled: false })).perPoll).toEqual([[]]);
    const noVc = config({ n: 100 });
    noVc.types.viewers_choice.enabled = false;
    expect(replay([{ items: [A, paid(2)], np: 1 }], noVc).perPoll).toEqual([[]]);
  });

  it('an empty pool skips the slot without error; a clip already on the playlist is not chosen', () => {
    const cfg = config({ n: 100 });
    expect(replay([{ items: [A, paid(2)], np: 1 }], cfg, { pools: {} }).perPoll).toEqual([[]]);
    const onList = newShadowItem({ uid: 40, media_type: 'cm', media_id: 'vc1', temp: true });
    const d = decidePromos([A, paid(2), onList], 0, initialDirectorState(), cfg, T0, new SeededRandom(5), {
      pools: POOLS,
      immutable_event: false,
    });
    expect(d.inserts.map((i) => i.clip.media_id)).toEqual(['vc2']);
  });

  it('writes the seed and the draw count into the decision', () => {
    const d = decidePromos(
      [A, B, C],
      1,
      { ...initialDirectorState(), content_since_general: 5 },
      config(),
      T0,
      new SeededRandom(77),
      {
        pools: POOLS,
        immutable_event: false,
      },
    );
    // three eligible types: two draws shuffle them, one weighs them; one draws the clip
    expect(d).toMatchObject({ seed: 77, draws: 4, general_due: true, target_uid: 3 });
  });
});

describe('decideLeadInFor (pay-time Viewer’s Choice)', () => {
  const A = content(1);
  it('decides one VC for the paid item, marks the slot so the poll adds no second one', () => {
    const P = paid(7);
    const cfg = config({ n: 100 });
    const world = { pools: POOLS, immutable_event: false };
    const d = decideLeadInFor([A, P], 0, 7, initialDirectorState(), cfg, T0, new SeededRandom(1), world);
    expect(d.inserts).toEqual([
      expect.objectContaining({ kind: 'lead_in', promo_type: 'viewers_choice', before_uid: 7 }),
    ]);
    const again = decidePromos([A, P], 0, d.state, cfg, T0 + 3000, new SeededRandom(2), world);
    expect(again.inserts).toEqual([]);
    expect(
      decideLeadInFor([A, P], 1, 7, initialDirectorState(), cfg, T0, new SeededRandom(1), world).inserts,
    ).toEqual([]);
    expect(
      decideLeadInFor([A, P], 0, 7, initialDirectorState(), cfg, T0, new SeededRandom(1), {
        ...world,
        immutable_event: true,
      }).idle,
    ).toBe('immutable_event');
  });
});

describe('anchorBefore', () => {
  it('is the item before the target in loop order, the promo itself left out', () => {
    expect(anchorBefore([1, 2, 3, 99], 3, 99)).toBe(2);
    expect(anchorBefore([1, 2, 3, 99], 1, 99)).toBe(3);
    expect(anchorBefore([5, 99], 5, 99)).toBe(5);
    expect(anchorBefore([1, 2], 7, 99)).toBeNull();
  });
});
