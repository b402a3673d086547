import type { QueueState } from '../queue/queue-state.enrich';
import type { ShadowItem } from '../queue/queue-shadow.types';
import { botNamesOf, byLine, publicCurrent, publicEvents, publicQueue, whoAsked } from './public-api.rules';

function item(uid: number, over: Partial<ShadowItem> = {}): ShadowItem {
  return {
    uid,
    position: uid - 1,
    title: `Title ${uid}`,
    friendly_token: null,
    media_type: 'cm',
    media_id: `m${uid}`,
    duration_sec: 600,
    temp: true,
    queueby: 'KrytenBot',
    is_pay: false,
    paid_by: null,
    tier: null,
    z_cost: 500,
    schedule_id: null,
    is_promo: false,
    promo_type: null,
    lead_in_for_uid: null,
    request_id: 'secret-request-id',
    added_at: null,
    estimated_start_at: `2026-06-14T12:${String(uid * 10).padStart(2, '0')}:00.000Z`,
    ...over,
  };
}

const state: QueueState = {
  items: [
    item(1),
    item(2, { is_pay: true, paid_by: 'alice', tier: 'playnext' }),
    item(3, { is_pay: true, paid_by: 'bob', tier: 'queue' }),
    item(4, { is_promo: true, promo_type: 'general' }),
  ],
  now_playing: {
    uid: 2,
    media_id: 'm2',
    media_type: 'cm',
    title: 'Title 2',
    seconds: 600,
    currentTime: 12.7,
    paused: false,
  },
  updated_at: '2026-06-14T12:00:00.000Z',
  stale: false,
};

describe('public read API shapes', () => {
  it('the queue from the item playing now: requester in words, tier in words, no private fields', () => {
    const q = publicQueue(state);
    expect(q.map((i) => [i.position, i.uid, i.requester, i.tier, i.is_now_playing, i.is_promo])).toEqual([
      [0, 2, 'alice', 'Play next', true, false],
      [1, 3, 'bob', 'Queue', false, false],
      [2, 4, 'Channel', 'Channel', false, true],
    ]);
    expect(q[0].eta).toBeNull();
    expect(q[1].eta).toBe('2026-06-14T12:30:00.000Z');
    const text = JSON.stringify(q);
    for (const secret of ['z_cost', 'request_id', 'secret-request-id', 'KrytenBot', '500']) {
      expect(text).not.toContain(secret);
    }
  });

  it('what is playing now', () => {
    expect(publicCurrent(state)).toEqual({
      uid: 2,
      title: 'Title 2',
      duration_sec: 600,
      elapsed_sec: 12,
      paused: false,
      requester: 'alice',
      tier: 'Play next',
    });
    expect(publicCurrent({ ...state, now_playing: null })).toBeNull();
  });

  it('upcoming events only, soonest first', () => {
    const now = Date.UTC(2026, 5, 14, 12);
    const ev = (label: string, h: number, status = 'pending') => ({
      label,
      fire_at: new Date(now + h * 3_600_000),
      is_recurring: false,
      playlist_name: 'P',
      pre_fire_lock_minutes: 15,
      status,
    });
    expect(
      publicEvents([ev('later', 5), ev('past', -1), ev('soon', 1), ev('off', 2, 'disabled')], now).map(
        (e) => e.label,
      ),
    ).toEqual(['soon', 'later']);
  });
});

describe('byLine', () => {
  it('says who asked for it in words', () => {
    expect(byLine({ requester: 'alice', tier: 'Play next' })).toBe('Requested by alice · Play next');
    expect(byLine({ requester: 'Channel', tier: 'Channel' })).toBe('Channel pick');
  });
});

describe('whoAsked', () => {
  it.each([
    [
      { is_pay: true, paid_by: 'alice', tier: 'playnext' },
      { requester: 'alice', tier: 'Play next' },
    ],
    [
      { is_pay: true, paid_by: 'bob', tier: 'queue' },
      { requester: 'bob', tier: 'Queue' },
    ],
    [
      { is_pay: false, paid_by: 'Eve', tier: null },
      { requester: 'Eve', tier: 'Added in CyTube' },
    ],
    [
      { is_pay: false, paid_by: 'boss', tier: 'admin' },
      { requester: 'Channel', tier: 'Channel' },
    ],
    [
      { is_pay: false, paid_by: null, is_promo: true },
      { requester: 'Channel', tier: 'Channel' },
    ],
    [
      { is_pay: false, paid_by: 'x', schedule_id: 4 },
      { requester: 'Channel', tier: 'Channel' },
    ],
    [
      { is_pay: false, paid_by: null },
      { requester: 'Channel', tier: 'Channel' },
    ],
  ])('%j → %j', (item, who) => {
    expect(whoAsked(item)).toEqual(who);
  });
  it('byLine for CyTube adds', () => {
    expect(byLine({ requester: 'Eve', tier: 'Added in CyTube' })).toBe('Added in CyTube by Eve');
  });
});

describe('bot names', () => {
  it('come from the config and from the items webqueue inserted; their items read as Channel', () => {
    const names = botNamesOf(
      [
        { queueby: 'KrytenBot', is_pay: true, is_promo: false, tier: 'queue', schedule_id: null },
        { queueby: 'Eve', is_pay: false, is_promo: false, tier: null, schedule_id: null },
      ],
      ['HelperBot'],
    );
    expect([...names].sort()).toEqual(['helperbot', 'krytenbot']);
    expect(whoAsked({ is_pay: false, paid_by: 'KrytenBot' }, names)).toEqual({
      requester: 'Channel',
      tier: 'Channel',
    });
    expect(whoAsked({ is_pay: false, paid_by: 'Eve' }, names)).toEqual({
      requester: 'Eve',
      tier: 'Added in CyTube',
    });
  });
});
