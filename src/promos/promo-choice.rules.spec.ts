import { SeededRandom } from '../common/random';
import { PromosConfig, type PromoType } from '../config/app-config';
import {
  type ChoiceContext,
  choosePromo,
  clipKey,
  localTime,
  nextWindowOpen,
  type PromoClip,
  type PromoPools,
  type RotationState,
  type TimeWindow,
  windowOpen,
} from './promo-choice.rules';

// Monday 1 June 2026, 12:00 UTC
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const MIN = 60_000;

const clip = (id: string): PromoClip => ({ media_type: 'cm', media_id: id, title: id, duration_sec: 20 });
const key = (id: string): string => clipKey(clip(id));

const POOLS: PromoPools = {
  channel_identity: [
    { id: 1, name: 'Idents', clips: [clip('ci1'), clip('ci2'), clip('ci3')] },
    { id: 2, name: 'Idents (night)', clips: [clip('cn1'), clip('cn2')] },
  ],
  event: [{ id: 3, name: 'Upcoming events', clips: [clip('ev1'), clip('ev2')] }],
  mod_shoutout: [{ id: 4, name: 'Mods', clips: [clip('ms1'), clip('ms2')] }],
  viewers_choice: [{ id: 5, name: 'VC bumpers', clips: [clip('vc1'), clip('vc2')] }],
};

function config(patch: (c: PromosConfig) => void = () => undefined): PromosConfig {
  const c = new PromosConfig();
  patch(c);
  return c;
}

function ctx(overrides: Partial<ChoiceContext> = {}): ChoiceContext {
  return {
    config: config(),
    pools: POOLS,
    lastPlayed: new Map(),
    present: new Set(),
    nowMs: T0,
    random: new SeededRandom(1),
    ...overrides,
  };
}
const fresh = (): RotationState => ({ seq_index: {}, last_clip: {} });

function tally(n: number, make: (i: number) => string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const k = make(i) ?? 'none';
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

describe('choosePromo: types and pools by weight', () => {
  it('general types by weight 3:2:1, pools within a type by their own weight', () => {
    const random = new SeededRandom(42);
    const cfg = config((c) => {
      c.general.no_repeat = false;
      c.pools = { '1': { weight: 3 }, '2': { weight: 1 } };
    });
    const n = 8000;
    const pools = tally(n, () =>
      String(choosePromo('general', ctx({ config: cfg, random }), fresh()).pool?.id),
    );
    // channel_identity 3/6, of which pool 1 takes 3/4 and pool 2 1/4
    expect(pools['1'] / n).toBeCloseTo(0.375, 1);
    expect(pools['2'] / n).toBeCloseTo(0.125, 1);
    expect(pools['3'] / n).toBeCloseTo(2 / 6, 1);
    expect(pools['4'] / n).toBeCloseTo(1 / 6, 1);
  });

  it('the record reads out each type and pool with its chance, and why the others are out', () => {
    const cfg = config((c) => {
      c.types.event.enabled = false;
      c.pools = { '4': { weight: 0 } };
    });
    const { record } = choosePromo('general', ctx({ config: cfg }), fresh());
    expect(record.types).toEqual([
      { type: 'channel_identity', weight: 3, probability: 1, excluded: null },
      { type: 'event', weight: 2, probability: 0, excluded: 'turned off' },
      { type: 'mod_shoutout', weight: 1, probability: 0, excluded: 'no pool is eligible now' },
    ]);
    expect(record.pools.map((p) => [p.id, p.probability, p.excluded])).toEqual([
      [1, 0.5, null],
      [2, 0.5, null],
      [3, 0, 'its type is turned off'],
      [4, 0, 'weight 0'],
    ]);
    expect(record.chosen?.type).toBe('channel_identity');
  });

  it('an empty or untagged pool is skipped with a reason, never an error', () => {
    const pools: PromoPools = { channel_identity: [{ id: 9, name: 'Empty', clips: [] }] };
    const choice = choosePromo('general', ctx({ pools }), fresh());
    expect(choice.clip).toBeNull();
    expect(choice.record.pools[0].excluded).toBe('the playlist is empty');
    expect(choice.record.types.find((t) => t.type === 'event')?.excluded).toBe(
      'no playlist is tagged with this type',
    );
    expect(choice.record.skipped).toBe('no clip can be played (see why each pool is left out)');
    expect(choice.record.next_eligible_at_ms).toBeNull();
  });

  it('a lead-in type uses only its own pools', () => {
    const choice = choosePromo('viewers_choice', ctx(), fresh());
    expect(choice.pool?.id).toBe(5);
    expect(choice.record.types.map((t) => t.type)).toEqual(['viewers_choice']);
  });
});

describe('choosePromo: cooldowns', () => {
  const vcOnly = (patch: (c: PromosConfig) => void = () => undefined): Partial<ChoiceContext> => ({
    config: config(patch),
    pools: { viewers_choice: POOLS.viewers_choice },
  });

  it.each([
    // [minutes since vc1 last played, clip cooldown, vc1 may be chosen]
    [10, 30, false],
    [29.9, 30, false],
    [30, 30, true],
    [45, 30, true],
    [1, 0, true],
  ])('vc1 played %s min ago with a %s min clip cooldown → eligible %s', (ago, cooldown, eligible) => {
    const lastPlayed = new Map([[key('vc1'), T0 - ago * MIN]]);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const c = choosePromo(
        'viewers_choice',
        ctx({
          ...vcOnly((cfg) => (cfg.general.clip_cooldown_minutes = cooldown)),
          lastPlayed,
          random: new SeededRandom(seed),
        }),
        fresh(),
      );
      seen.add(c.clip?.media_id ?? 'none');
    }
    expect(seen.has('vc1')).toBe(eligible);
    expect(seen.has('vc2')).toBe(true);
  });

  it('when every clip is cooling down the slot is skipped and says when the next one is eligible', () => {
    const lastPlayed = new Map([
      [key('vc1'), T0 - 10 * MIN],
      [key('vc2'), T0 - 25 * MIN],
    ]);
    const c = choosePromo('viewers_choice', ctx({ ...vcOnly(), lastPlayed }), fresh());
    expect(c.clip).toBeNull();
    expect(c.record.skipped).toBe('every clip is cooling down or outside its hours');
    expect(c.record.next_eligible_at_ms).toBe(T0 + 5 * MIN);
    expect(c.record.excluded_clips).toEqual([
      { clip: key('vc1'), title: 'vc1', why: 'played 10 min ago (clip cooldown 30 min)' },
      { clip: key('vc2'), title: 'vc2', why: 'played 25 min ago (clip cooldown 30 min)' },
    ]);
  });

  it('a pool cooldown keeps the whole pool out after any of its clips played', () => {
    const cfg = config((c) => {
      c.general.clip_cooldown_minutes = 0;
      c.pools = { '1': { cooldown_minutes: 60 } };
    });
    const lastPlayed = new Map([[key('ci2'), T0 - 20 * MIN]]);
    const pools: PromoPools = { channel_identity: POOLS.channel_identity };
    const chosen = tally(50, (seed) =>
      String(
        choosePromo(
          'general',
          ctx({ config: cfg, pools, lastPlayed, random: new SeededRandom(seed) }),
          fresh(),
        ).pool?.id,
      ),
    );
    expect(Object.keys(chosen)).toEqual(['2']);
    const record = choosePromo('general', ctx({ config: cfg, pools, lastPlayed }), fresh()).record;
    expect(record.pools[0].excluded).toBe('a clip of it played 20 min ago (pool cooldown 60 min)');
    // pool 2 out too: nothing left, the pool comes back 40 minutes from now
    const both = { ...cfg, pools: { '1': { cooldown_minutes: 60 }, '2': { cooldown_minutes: 30 } } };
    const alsoTwo = new Map([...lastPlayed, [key('cn1'), T0 - 5 * MIN]]);
    const skipped = choosePromo('general', ctx({ config: both, pools, lastPlayed: alsoTwo }), fresh());
    expect(skipped.clip).toBeNull();
    expect(skipped.record.next_eligible_at_ms).toBe(T0 + 25 * MIN);
  });

  it('a clip already on the playlist is left out; no_repeat yields only when the last clip is all that is left', () => {
    const present = new Set([key('vc2')]);
    const state: RotationState = { seq_index: {}, last_clip: { viewers_choice: key('vc1') } };
    const c = choosePromo('viewers_choice', ctx({ ...vcOnly(), present }), state);
    expect(c.clip?.media_id).toBe('vc1');
    const other = choosePromo('viewers_choice', ctx(vcOnly()), {
      seq_index: {},
      last_clip: { viewers_choice: key('vc1') },
    });
    expect(other.clip?.media_id).toBe('vc2');
  });

  it('no_repeat over 300 draws: never the same clip twice in a row', () => {
    const state = fresh();
    const random = new SeededRandom(9);
    let last = '';
    for (let i = 0; i < 300; i++) {
      const id = choosePromo(
        'event',
        ctx({ random, config: config((c) => (c.general.clip_cooldown_minutes = 0)) }),
        state,
      ).clip?.media_id as string;
      expect(id).not.toBe(last);
      last = id;
    }
  });
});

describe('choosePromo: sequential order', () => {
  it('rotates each pool in stored order, skips what is left out, resumes from the saved cursor', () => {
    const cfg = config((c) => {
      c.types.channel_identity.order = 'sequential';
      c.general.no_repeat = false;
      c.general.clip_cooldown_minutes = 0;
    });
    const pools: PromoPools = { channel_identity: [POOLS.channel_identity![0]] };
    const state = fresh();
    const random = new SeededRandom(1);
    const run = (n: number, present = new Set<string>()): string[] =>
      Array.from(
        { length: n },
        () =>
          choosePromo('channel_identity', ctx({ config: cfg, pools, random, present }), state).clip
            ?.media_id as string,
      );
    expect(run(4)).toEqual(['ci1', 'ci2', 'ci3', 'ci1']);
    expect(state.seq_index).toEqual({ 'pool:1': 1 });
    const restarted: RotationState = JSON.parse(JSON.stringify(state)) as RotationState;
    expect(
      Array.from(
        { length: 2 },
        () => choosePromo('channel_identity', ctx({ config: cfg, pools, random }), restarted).clip?.media_id,
      ),
    ).toEqual(['ci2', 'ci3']);
    expect(run(1, new Set([key('ci2')]))).toEqual(['ci3']);
  });
});

describe('time windows', () => {
  const evening: TimeWindow = { start: '18:00', end: '23:00', days: [] };
  const lateWeekend: TimeWindow = { start: '22:00', end: '02:00', days: ['FR', 'SA'] };

  it.each([
    // [window, local ISO time (UTC), open]
    [evening, '2026-06-01T17:59:00Z', false],
    [evening, '2026-06-01T18:00:00Z', true],
    [evening, '2026-06-01T22:59:00Z', true],
    [evening, '2026-06-01T23:00:00Z', false],
    [lateWeekend, '2026-06-05T21:59:00Z', false], // Friday
    [lateWeekend, '2026-06-05T22:00:00Z', true],
    [lateWeekend, '2026-06-06T01:59:00Z', true], // Saturday small hours: Friday's window
    [lateWeekend, '2026-06-06T02:00:00Z', false],
    [lateWeekend, '2026-06-07T01:00:00Z', true], // Sunday small hours: Saturday's window
    [lateWeekend, '2026-06-07T22:30:00Z', false], // Sunday evening
    [lateWeekend, '2026-06-05T01:00:00Z', false], // Friday small hours: Thursday's
  ])('%o at %s → open %s', (window, at, open) => {
    expect(windowOpen(window, Date.parse(at), 'UTC')).toBe(open);
  });

  it('uses the configured time zone, across a daylight-saving change', () => {
    // New York is UTC-4 in June: 18:00 local is 22:00 UTC
    expect(windowOpen(evening, Date.parse('2026-06-01T22:30:00Z'), 'America/New_York')).toBe(true);
    expect(windowOpen(evening, Date.parse('2026-06-01T18:30:00Z'), 'America/New_York')).toBe(false);
    expect(localTime(Date.parse('2026-06-01T22:30:00Z'), 'America/New_York')).toEqual({
      day: 'MO',
      minute: 18 * 60 + 30,
    });
    // Europe/London springs forward on 29 March 2026: 18:00 local that day is 17:00 UTC
    const before = Date.parse('2026-03-28T20:00:00Z');
    expect(
      new Date(nextWindowOpen(evening, before + 4 * 3600_000, 'Europe/London') as number).toISOString(),
    ).toBe('2026-03-29T17:00:00.000Z');
  });

  it.each<[TimeWindow, string, string]>([
    [evening, '2026-06-01T12:00:00Z', '2026-06-01T18:00:00.000Z'],
    [evening, '2026-06-01T23:30:00Z', '2026-06-02T18:00:00.000Z'],
    [lateWeekend, '2026-06-01T12:00:00Z', '2026-06-05T22:00:00.000Z'],
    [lateWeekend, '2026-06-05T23:00:00Z', '2026-06-05T23:00:00.000Z'],
    [{ start: '09:00', end: '09:00', days: ['SU'] }, '2026-06-01T12:00:00Z', '2026-06-07T00:00:00.000Z'],
  ])('%o from %s next opens %s', (window, from, expected) => {
    expect(new Date(nextWindowOpen(window, Date.parse(from), 'UTC') as number).toISOString()).toBe(expected);
  });

  it('a pool outside its hours is left out, and a skip says when it opens', () => {
    const cfg = config((c) => (c.pools = { '2': { window: evening } }));
    const pools: PromoPools = { channel_identity: [POOLS.channel_identity![1]] };
    const noon = choosePromo('general', ctx({ config: cfg, pools }), fresh());
    expect(noon.clip).toBeNull();
    expect(noon.record.pools[0].excluded).toBe('outside its hours (18:00–23:00, every day)');
    expect(noon.record.next_eligible_at_ms).toBe(Date.parse('2026-06-01T18:00:00Z'));
    const night = choosePromo(
      'general',
      ctx({ config: cfg, pools, nowMs: Date.parse('2026-06-01T19:00:00Z') }),
      fresh(),
    );
    expect(night.pool?.id).toBe(2);
  });
});

describe('choosePromo is a pure function of its inputs', () => {
  it.each<[string, PromoType | 'general']>([
    ['general', 'general'],
    ['viewers_choice', 'viewers_choice'],
  ])('same seed, same state → same choice and same record (%s)', (_label, slot) => {
    const a = choosePromo(slot, ctx({ random: new SeededRandom(5) }), fresh());
    const b = choosePromo(slot, ctx({ random: new SeededRandom(5) }), fresh());
    expect(a).toEqual(b);
  });
});
