import type { PlaylistItem } from '../kryten/api-gate.types';
import type { NowPlaying, ShadowItem } from './queue-shadow.types';
import {
  samePoll,
  acceptEmptyPoll,
  computeEtas,
  findNowPlayingIndex,
  parseSeconds,
  queueSignature,
  reconcile,
  remainingSeconds,
  shouldLiftEventLock,
  toNowPlaying,
} from './queue.rules';

const NOW = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));

function poll(uid: number, extra: Partial<PlaylistItem['media']> = {}, queueby = 'alice'): PlaylistItem {
  return {
    uid,
    temp: true,
    queueby,
    media: { id: `m${uid}`, title: `Title ${uid}`, seconds: 100, duration: '01:40', type: 'cm', ...extra },
  };
}

function item(uid: number, extra: Partial<ShadowItem> = {}): ShadowItem {
  return reconcile([], [poll(uid)], NOW).items.map((i) => ({ ...i, ...extra }))[0];
}

function np(extra: Partial<NowPlaying> = {}): NowPlaying {
  return {
    uid: null,
    media_id: 'm2',
    media_type: 'cm',
    title: 'x',
    seconds: 100,
    currentTime: 40,
    paused: false,
    ...extra,
  };
}

describe('parseSeconds', () => {
  it('reads numbers, H:M:S, M:S and numeric strings; anything else is 0', () => {
    expect(parseSeconds(90.5)).toBe(90.5);
    expect(parseSeconds('01:02:03')).toBe(3723);
    expect(parseSeconds('02:03')).toBe(123);
    expect(parseSeconds('42')).toBe(42);
    expect(parseSeconds('abc')).toBe(0);
    expect(parseSeconds(null)).toBe(0);
    expect(parseSeconds(Number.NaN)).toBe(0);
  });
});

describe('reconcile', () => {
  it('adds new uids as unpaid items paid_by queueby, in poll order with positions', () => {
    const r = reconcile([], [poll(5), poll(3, {}, 'bob')], NOW);
    expect(r.items.map((i) => [i.uid, i.position, i.paid_by, i.is_pay])).toEqual([
      [5, 0, 'alice', false],
      [3, 1, 'bob', false],
    ]);
    expect(r.added).toEqual([5, 3]);
    expect(r.items[0].added_at).toEqual(NOW);
  });

  it('removes uids no longer polled and reorders by rebuilding in poll order', () => {
    const current = reconcile([], [poll(1), poll(2), poll(3)], NOW).items;
    const r = reconcile(current, [poll(3), poll(1)], NOW);
    expect(r.items.map((i) => [i.uid, i.position])).toEqual([
      [3, 0],
      [1, 1],
    ]);
    expect(r.removed).toEqual([2]);
    expect(r.added).toEqual([]);
  });

  it('keeps local pay, promo and token metadata of known uids', () => {
    const paid = item(7, {
      is_pay: true,
      paid_by: 'carol',
      tier: 'playnext',
      z_cost: 120,
      friendly_token: 'tok7',
      request_id: 'req-7',
      title: 'Local title',
      is_promo: false,
    });
    const r = reconcile([paid], [poll(7, { title: 'Polled title' }, 'KrytenBot')], NOW);
    expect(r.items[0]).toMatchObject({
      is_pay: true,
      paid_by: 'carol',
      tier: 'playnext',
      z_cost: 120,
      friendly_token: 'tok7',
      request_id: 'req-7',
      title: 'Local title',
      queueby: 'KrytenBot',
    });
  });

  it('back-fills only empty fields (0 duration counts as empty, "unknown" type too)', () => {
    const sparse = item(4, { title: '', duration_sec: 0, media_id: '', media_type: 'unknown' });
    const r = reconcile([sparse], [poll(4, { title: 'Filled', seconds: 321, type: 'yt', id: 'abc' })], NOW);
    expect(r.items[0]).toMatchObject({
      title: 'Filled',
      duration_sec: 321,
      media_id: 'abc',
      media_type: 'yt',
    });
  });

  it('never holds a uid twice, even if the poll repeats it', () => {
    const r = reconcile([], [poll(1), poll(1), poll(2)], NOW);
    expect(r.items.map((i) => i.uid)).toEqual([1, 2]);
  });

  it('keeps a locally inserted uid the poll does not show yet, after its predecessor', () => {
    const current = [item(1), item(9), item(2)];
    const r = reconcile(current, [poll(1), poll(2)], NOW, new Set([9]));
    expect(r.items.map((i) => [i.uid, i.position])).toEqual([
      [1, 0],
      [9, 1],
      [2, 2],
    ]);
    expect(r.removed).toEqual([]);
  });
});

describe('acceptEmptyPoll (api-gate hides KV errors as {items:[]})', () => {
  it('believes an empty list at once when nothing is held or now-playing is also empty', () => {
    expect(acceptEmptyPoll(0, 1, false)).toBe(true);
    expect(acceptEmptyPoll(5, 1, true)).toBe(true);
  });
  it('ignores the first empty poll while items are held and accepts the second in a row', () => {
    expect(acceptEmptyPoll(5, 1, false)).toBe(false);
    expect(acceptEmptyPoll(5, 2, false)).toBe(true);
  });
});

describe('findNowPlayingIndex', () => {
  const items = [item(1), item(2), item(3)];
  it('prefers the uid, then media id (+type), else none', () => {
    expect(findNowPlayingIndex(items, np({ uid: 3, media_id: 'm2' }))).toBe(2);
    expect(findNowPlayingIndex(items, np({ uid: null, media_id: 'm2' }))).toBe(1);
    expect(findNowPlayingIndex(items, np({ uid: 99, media_id: 'm1' }))).toBe(0);
    expect(findNowPlayingIndex(items, np({ media_id: 'm2', media_type: 'yt' }))).toBe(-1);
    expect(findNowPlayingIndex(items, np({ media_id: 'nope' }))).toBe(-1);
    expect(findNowPlayingIndex(items, null)).toBe(-1);
  });

  it('with the same media twice, picks the copy nearest after the previously playing item', () => {
    const dup = [item(1, { media_id: 'X' }), item(2), item(3, { media_id: 'X' }), item(4)];
    const playing = np({ media_id: 'X' });
    expect(findNowPlayingIndex(dup, playing, { uid: 2, position: 1 })).toBe(2);
    expect(findNowPlayingIndex(dup, playing, { uid: 4, position: 3 })).toBe(0); // wraps
    expect(findNowPlayingIndex(dup, playing, { uid: 3, position: 2 })).toBe(2); // still the same copy
    // previous (a temp item at position 1) has gone: the next copy from its old place on
    const gone = [item(1, { media_id: 'X' }), item(3, { media_id: 'X' }), item(4)];
    expect(findNowPlayingIndex(gone, playing, { uid: 2, position: 1 })).toBe(1);
    expect(findNowPlayingIndex(dup, playing, null)).toBe(0);
  });
});

describe('ETA', () => {
  const four = [item(1), item(2), item(3), item(4)];
  it('wraps from the playing item (the tested example: item 2 at 40 s)', () => {
    const out = computeEtas(four, 1, remainingSeconds(np({ currentTime: 40 })), NOW.getTime());
    expect(out.map((i) => [i.uid, i.estimated_start_in_sec])).toEqual([
      [1, 260],
      [2, 0],
      [3, 60],
      [4, 160],
    ]);
    expect(out[2].estimated_start_at).toBe(new Date(NOW.getTime() + 60_000).toISOString());
    expect(four[0].estimated_start_in_sec).toBeUndefined(); // copies, the input is untouched
  });

  it('counts from the head with no now-playing', () => {
    const out = computeEtas(four.slice(0, 2), -1, remainingSeconds(null), NOW.getTime());
    expect(out.map((i) => i.estimated_start_in_sec)).toEqual([0, 100]);
  });

  it('treats the -3 lead-in as not started', () => {
    expect(remainingSeconds(np({ currentTime: -3, seconds: 100 }))).toBe(100);
    expect(remainingSeconds(np({ currentTime: 150, seconds: 100 }))).toBe(0);
  });

  it('converts api-gate now-playing; the -3 lead-in is not a pause', () => {
    expect(
      toNowPlaying({
        uid: null,
        id: 'm1',
        title: 't',
        seconds: 60,
        duration: '01:00',
        type: 'cm',
        currentTime: -3,
        paused: true,
      }),
    ).toEqual({
      uid: null,
      media_id: 'm1',
      media_type: 'cm',
      title: 't',
      seconds: 60,
      currentTime: -3,
      paused: false,
    });
    const gate = {
      uid: 1,
      id: 'm1',
      title: 't',
      seconds: 60,
      duration: '',
      type: 'cm',
      currentTime: 12,
      paused: true,
    };
    expect(toNowPlaying(gate)?.paused).toBe(true); // a real pause stays a pause
    expect(toNowPlaying(null)).toBeNull();
  });
});

describe('queueSignature', () => {
  it('ignores currentTime and ETAs but sees order, now-playing and pay fields', () => {
    const base = [item(1), item(2)];
    const sig = queueSignature(base, np({ currentTime: 10 }), 2);
    const etas = computeEtas(base, 1, 50, NOW.getTime());
    expect(queueSignature(etas, np({ currentTime: 55 }), 2)).toBe(sig);
    expect(queueSignature([base[1], base[0]], np(), 2)).not.toBe(sig);
    expect(queueSignature(base, np(), 1)).not.toBe(sig);
    expect(queueSignature([base[0], { ...base[1], is_pay: true }], np(), 2)).not.toBe(sig);
  });
});

describe('shouldLiftEventLock', () => {
  const before = [item(1), item(2), item(3)];
  it('lifts when the last event item plays', () => {
    expect(shouldLiftEventLock({ lock_disabled: false, last_item_uid: 3 }, before, before, 3)).toBe(true);
    expect(shouldLiftEventLock({ lock_disabled: false, last_item_uid: 3 }, before, before, 2)).toBe(false);
  });
  it('lifts when the last event item has left the queue, not when it was never seen', () => {
    const after = [before[0], before[1]];
    expect(shouldLiftEventLock({ lock_disabled: false, last_item_uid: 3 }, before, after, 1)).toBe(true);
    expect(shouldLiftEventLock({ lock_disabled: false, last_item_uid: 42 }, before, after, 1)).toBe(false);
  });
  it('does nothing without a row, when already lifted, or without a last uid', () => {
    expect(shouldLiftEventLock(null, before, [], null)).toBe(false);
    expect(shouldLiftEventLock({ lock_disabled: true, last_item_uid: 3 }, before, [], 3)).toBe(false);
    expect(shouldLiftEventLock({ lock_disabled: false, last_item_uid: null }, before, [], 3)).toBe(false);
  });
});

describe('samePoll', () => {
  const entry = (
    uid: number,
    over: Partial<PlaylistItem> = {},
    media: Partial<PlaylistItem['media']> = {},
  ): PlaylistItem => ({
    uid,
    temp: false,
    queueby: 'bot',
    media: { id: `m${uid}`, title: `T${uid}`, seconds: 60, duration: '01:00', type: 'cm', ...media },
    ...over,
  });
  const base = [entry(1), entry(2)];
  it.each([
    ['the same playlist again', [entry(1), entry(2)], true],
    ['nothing held yet', null, false],
    ['an item more', [entry(1), entry(2), entry(3)], false],
    ['reordered', [entry(2), entry(1)], false],
    ['now temporary', [entry(1), entry(2, { temp: true })], false],
    ['queued by someone else', [entry(1, { queueby: 'alice' }), entry(2)], false],
    ['another video under the same uid', [entry(1), entry(2, {}, { id: 'other' })], false],
    ['its length learned', [entry(1, {}, { seconds: 61 }), entry(2)], false],
  ])('%s', (_label, previous, expected) => {
    expect(samePoll(previous === null ? null : base, previous ?? base)).toBe(expected);
  });
});
