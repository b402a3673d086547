import type { QueueState, QueueStateItem } from '../queue/queue-state.enrich';
import { orderSplice, queueDiff, retimed } from './queue-diff.rules';

// The browsers' half, the same file the pages load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { applyQueueDiff } = require('../../public/js/queue-diff.js') as {
  applyQueueDiff(state: unknown, diff: unknown): (QueueState & { version: number }) | null;
};

const AT = '2026-06-14T12:00:00.000Z';

/** ETAs in seconds from the state's time, stamped by `state()` the way the server does. */
const ETAS = new WeakMap<QueueStateItem, number>();

function item(uid: number, eta: number | null, extra: Partial<QueueStateItem> = {}): QueueStateItem {
  const built = {
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
    ...extra,
  } as QueueStateItem;
  if (eta !== null) ETAS.set(built, eta);
  return built;
}

function state(items: QueueStateItem[], np: QueueState['now_playing'] = null, at = AT): QueueState {
  return {
    items: items.map((it, position) => {
      const eta = ETAS.get(it);
      const stamped = { ...it, position };
      if (eta === undefined) return stamped;
      const ms = Math.round(eta * 1000);
      return {
        ...stamped,
        estimated_start_in_sec: Math.round(ms / 1000),
        estimated_start_at: new Date(Date.parse(at) + ms).toISOString(),
      };
    }),
    now_playing: np,
    updated_at: at,
    stale: false,
  };
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
    expect(diff).not.toHaveProperty('splice');
  });

  describe('its size follows the change, not the queue (100 items)', () => {
    const long = state(
      Array.from({ length: 100 }, (_, i) => item(i + 1, i * 600 + 0.4)),
      NP,
    );

    it('one item appended: one item, a one-uid splice, one shift and one start', () => {
      const next = state([...long.items, item(500, 100 * 600 + 0.4)], NP);
      const diff = queueDiff(long, next, 1, 2);
      expect(diff.items.map((i) => i.uid)).toEqual([500]);
      expect(diff.splice).toEqual([100, 0, 500]);
      expect(diff.eta_runs).toEqual([[0, 0]]);
      expect(diff.eta_set).toEqual([[100, Date.parse(AT) + 60_000_400]]);
      expect(JSON.stringify(diff).length).toBeLessThan(JSON.stringify(item(500, 0)).length + 300);
      expect(applyQueueDiff({ ...long, version: 1 }, diff)).toEqual({ ...next, version: 2 });
    });

    it('the head gone a minute later: no item sent, a one-place splice, every start where it was', () => {
      const later = '2026-06-14T12:01:00.000Z';
      const next = state(
        long.items.slice(1).map((it, i) => item(it.uid, (i + 1) * 600 + 0.4 - 60)),
        { ...NP, uid: 2, media_id: 'https://cms/2', title: 'Title 2', currentTime: 0 },
        later,
      );
      const diff = queueDiff(long, next, 1, 2);
      expect(diff.items).toEqual([]);
      expect(diff.splice).toEqual([0, 1]);
      expect(diff.eta_runs).toEqual([[0, 0]]);
      expect(diff.eta_set).toEqual([]);
      expect(applyQueueDiff({ ...long, version: 1 }, diff)).toEqual({ ...next, version: 2 });
    });

    it('an item put next: two shifts, the later items starting its length later', () => {
      const items = [...long.items];
      items.splice(1, 0, item(700, 600.4));
      const next = state(
        items.map((it, i) => (i < 2 ? it : item(it.uid, (i - 1) * 600 + 0.4 + 600))),
        NP,
      );
      const diff = queueDiff(long, next, 1, 2);
      expect(diff.splice).toEqual([1, 0, 700]);
      expect(diff.eta_runs).toEqual([
        [0, 0],
        [2, 600_000],
      ]);
      expect(applyQueueDiff({ ...long, version: 1 }, diff)).toEqual({ ...next, version: 2 });
    });
  });

  it.each<[number[], number[], number[] | null]>([
    [[1, 2, 3], [1, 2, 3], null],
    [
      [1, 2, 3],
      [1, 2, 3, 4],
      [3, 0, 4],
    ],
    [
      [1, 2, 3],
      [2, 3],
      [0, 1],
    ],
    [
      [1, 2, 3],
      [3, 1, 2],
      [0, 3, 3, 1, 2],
    ],
    [
      [1, 2, 3, 4],
      [1, 3, 2, 4],
      [1, 2, 3, 2],
    ],
    [[1, 2, 3], [], [0, 3]],
    [[], [7], [0, 0, 7]],
    [
      [1, 1, 2],
      [1, 2],
      [1, 1],
    ],
  ])('orderSplice(%j → %j) is %j', (before, after, splice) => {
    expect(orderSplice(before, after)).toEqual(splice);
    const rebuilt = [...before];
    if (splice) rebuilt.splice(splice[0], splice[1], ...splice.slice(2));
    expect(rebuilt).toEqual(after);
  });

  it('a diff for a version the page already holds (it came in a whole state first) leaves it as it is', () => {
    const diff = queueDiff(prev, prev, 4, 5);
    const held = { ...prev, version: 5 };
    expect(applyQueueDiff(held, diff)).toBe(held);
    expect(applyQueueDiff({ ...prev, version: 9 }, diff)).toEqual({ ...prev, version: 9 });
  });

  it('a page that missed a version (or holds nothing) gets null and asks for the whole state', () => {
    const diff = queueDiff(prev, prev, 4, 5);
    expect(applyQueueDiff({ ...prev, version: 3 }, diff)).toBeNull();
    expect(applyQueueDiff(null, diff)).toBeNull();
    // an order naming an item the page never had
    expect(applyQueueDiff({ ...prev, version: 4 }, { ...diff, splice: [0, 0, 99] })).toBeNull();
    // a start moved by a shift, for an item the page has no start for
    const unknownStart = { ...prev, items: prev.items.map((i) => ({ ...i, estimated_start_at: undefined })) };
    expect(applyQueueDiff({ ...unknownStart, version: 4 }, diff)).toBeNull();
  });
});

describe('retimed: the last state sent, as it stands later (what a connecting page gets)', () => {
  const sent = state([item(1, 0), item(2, 500.4), item(3, 1100.4), item(4, null)], NP);
  const later = Date.parse(AT) + 30_000;

  it('keeps order and start times; seconds-to-start and playback count from now', () => {
    const now = retimed(sent, later);
    expect(now.updated_at).toBe('2026-06-14T12:00:30.000Z');
    expect(now.items.map((i) => i.estimated_start_at)).toEqual(sent.items.map((i) => i.estimated_start_at));
    expect(now.items.map((i) => i.estimated_start_in_sec)).toEqual([-30, 470, 1070, undefined]);
    expect(now.now_playing?.currentTime).toBe(130);
    expect(sent.now_playing?.currentTime).toBe(100); // a copy, the state sent is untouched
  });

  it.each<[string, QueueState, number]>([
    ['paused', { ...sent, now_playing: { ...NP, paused: true } }, 100],
    ['stale (polls failing)', { ...sent, stale: true }, 100],
    ['near its end (never past its length)', { ...sent, now_playing: { ...NP, currentTime: 590 } }, 600],
    ["in CyTube's lead-in (-3)", { ...sent, now_playing: { ...NP, currentTime: -3 } }, 30],
  ])('playback %s', (_name, before, currentTime) => {
    expect(retimed(before, later).now_playing?.currentTime).toBe(currentTime);
  });

  it('a page that connected with it applies the next diff and gets exactly the next state', () => {
    const next = state(
      [item(1, 0), item(9, 470.4), item(2, 1070.4), item(3, 1670.4)],
      { ...NP, currentTime: 160 },
      '2026-06-14T12:01:00.000Z',
    );
    const connected = retimed({ ...sent, items: sent.items.slice(0, 3), version: 4 }, later);
    const diff = queueDiff({ ...sent, items: sent.items.slice(0, 3) }, next, 4, 5);
    expect(applyQueueDiff(connected, diff)).toEqual({ ...next, version: 5 });
  });
});
