import type { QueueState, QueueStateItem } from '../queue/queue-state.enrich';
import { queueDiff } from './queue-diff.rules';

// The browsers' half, the same file the pages load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { applyQueueDiff } = require('../../public/js/queue-diff.js') as {
  applyQueueDiff(state: unknown, diff: unknown): (QueueState & { version: number }) | null;
};

const AT = '2026-06-14T12:00:00.000Z';

function item(uid: number, eta: number | null, extra: Partial<QueueStateItem> = {}): QueueStateItem {
  return {
    uid,
    position: 0,
    title: `Title ${uid}`,
    friendly_token: `tok${uid}`,
    media_type: 'cm',
    media_id: `https://cms/${uid}`,
    duration_sec: 600,
    is_pay: false,
    paid_by: null,
    tier: null,
    z_cost: null,
    schedule_id: null,
    added_at: null,
    is_promo: false,
    promo_type: null,
    lead_in_for_uid: null,
    request_id: null,
    cover_art_path: `art/${uid}`,
    ...(eta === null
      ? {}
      : {
          estimated_start_in_sec: Math.round(eta),
          estimated_start_at: new Date(Date.parse(AT) + Math.round(eta * 1000)).toISOString(),
        }),
    ...extra,
  } as QueueStateItem;
}

function state(items: QueueStateItem[], np: QueueState['now_playing'] = null, at = AT): QueueState {
  return { items, now_playing: np, updated_at: at, stale: false };
}

const NP: NonNullable<QueueState['now_playing']> = {
  uid: 1,
  media_id: 'https://cms/1',
  media_type: 'cm',
  title: 'Title 1',
  seconds: 600,
  currentTime: 100,
  paused: false,
  friendly_token: 'tok1',
  queueby: 'x',
  paid_by: null,
  is_pay: false,
  tier: null,
};

describe('queue diffs: the server sends only what changed, the page rebuilds the whole state', () => {
  const prev = state([item(1, 0), item(2, 500.4), item(3, 1100.4)], NP);

  it.each<[string, QueueState]>([
    [
      'an item added in the middle (every later ETA moves)',
      state([item(1, 0), item(9, 500.4), item(2, 1100.4), item(3, 1700.4)], NP),
    ],
    [
      'the head finished and left',
      state([item(2, 0), item(3, 600)], {
        ...NP,
        uid: 2,
        media_id: 'https://cms/2',
        title: 'Title 2',
        currentTime: 3,
      }),
    ],
    [
      'one item paid for (its metadata changed)',
      state([item(1, 0), item(2, 500.4, { is_pay: true, paid_by: 'Bob' }), item(3, 1100.4)], NP),
    ],
    ['reordered', state([item(1, 0), item(3, 500.4), item(2, 1100.4)], NP)],
    ['emptied', state([], null)],
    ['an item with no ETA (nothing playing)', state([item(1, null), item(2, null)], null)],
    [
      'a later snapshot time, playback moved on',
      state(
        [item(1, 0), item(2, 440), item(3, 1040)],
        { ...NP, currentTime: 160 },
        '2026-06-14T12:01:00.000Z',
      ),
    ],
  ])('%s: applying the diff gives exactly the new state', (_name, next) => {
    const diff = queueDiff(prev, next, 4, 5);
    expect(applyQueueDiff({ ...prev, version: 4 }, diff)).toEqual({ ...next, version: 5 });
  });

  it('carries only the changed items and leaves now-playing out when only its time moved', () => {
    const next = state([item(1, 0), item(2, 440, { paid_by: 'Bob' }), item(3, 1040)], {
      ...NP,
      currentTime: 160,
    });
    const diff = queueDiff(prev, next, 1, 2);
    expect(diff.items.map((i) => i.uid)).toEqual([2]);
    expect(diff.items[0]).not.toHaveProperty('estimated_start_at');
    expect(diff).not.toHaveProperty('now_playing');
    expect(diff.now_playing_time).toBe(160);
    expect(diff.order).toEqual([1, 2, 3]);
  });

  it('a page that missed a version (or holds nothing) gets null and asks for the whole state', () => {
    const diff = queueDiff(prev, prev, 4, 5);
    expect(applyQueueDiff({ ...prev, version: 3 }, diff)).toBeNull();
    expect(applyQueueDiff(null, diff)).toBeNull();
    // an order naming an item the page never had
    expect(applyQueueDiff({ ...state([item(1, 0)], NP), version: 4 }, { ...diff, items: [] })).toBeNull();
  });
});
