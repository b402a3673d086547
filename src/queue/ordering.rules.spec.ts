import {
  chooseAnchor,
  isPlacedAfter,
  lastPaidUid,
  noAnchorMessage,
  nowPlayingUidOf,
  placementConfirmed,
  playOffset,
  playOrderAfterNowPlaying,
} from './ordering.rules';

const free = (uid: number) => ({ uid, is_pay: false });
const paid = (uid: number) => ({ uid, is_pay: true });

describe('ordering rules', () => {
  // [A▶, P1, P2, F1, F2]
  const base = [free(1), paid(2), paid(3), free(4), free(5)];

  it('queues after the last paid item (FIFO among paid)', () => {
    expect(chooseAnchor(base, 1, 'queue')).toEqual({ ok: true, anchor_uid: 3 });
  });

  it('play-next always anchors on now-playing', () => {
    expect(chooseAnchor(base, 1, 'playnext')).toEqual({ ok: true, anchor_uid: 1 });
  });

  it('admin after_purchased anchors like the queue tier', () => {
    expect(chooseAnchor(base, 1, 'after_purchased')).toEqual({ ok: true, anchor_uid: 3 });
  });

  it('falls back to now-playing when no paid item is pending', () => {
    expect(chooseAnchor([free(1), free(2)], 1, 'queue')).toEqual({ ok: true, anchor_uid: 1 });
  });

  it('scans in play order after now-playing (the list wraps), not in plain list order', () => {
    // [P9, F1, P7▶, F2]: the plain scan would pick 7 (the playing item); in play order after
    // now-playing the list reads F2, P9, F1, so P9 is the last paid item.
    const items = [paid(9), free(1), paid(7), free(2)];
    expect(playOrderAfterNowPlaying(items, 7).map((i) => i.uid)).toEqual([2, 9, 1]);
    expect(lastPaidUid(items, 7)).toBe(9);
    expect(chooseAnchor(items, 7, 'queue')).toEqual({ ok: true, anchor_uid: 9 });
  });

  it('never anchors on the now-playing item as "last paid"', () => {
    expect(chooseAnchor([paid(1), free(2)], 1, 'queue')).toEqual({ ok: true, anchor_uid: 1 });
    expect(lastPaidUid([paid(1), free(2)], 1)).toBeNull();
  });

  it('treats uid 0 as a real uid', () => {
    expect(chooseAnchor([free(5), paid(0)], 5, 'queue')).toEqual({ ok: true, anchor_uid: 0 });
    expect(chooseAnchor([free(0), free(5)], 0, 'playnext')).toEqual({ ok: true, anchor_uid: 0 });
  });

  it('has no anchor when now-playing is unknown (unless a paid item can be followed)', () => {
    expect(chooseAnchor([free(1)], null, 'queue')).toEqual({ ok: false, reason: 'no_now_playing' });
    expect(chooseAnchor([free(1)], 42, 'playnext')).toEqual({ ok: false, reason: 'no_now_playing' });
    expect(chooseAnchor([free(1), paid(2)], null, 'queue')).toEqual({ ok: true, anchor_uid: 2 });
    expect(chooseAnchor([free(1), paid(2)], null, 'playnext')).toEqual({
      ok: false,
      reason: 'no_now_playing',
    });
  });

  it('words the no-anchor errors like the old service', () => {
    expect(noAnchorMessage('queue', true)).toBe('Queue position unavailable (now-playing unknown); refunded');
    expect(noAnchorMessage('playnext', true)).toBe('Play-next unavailable (now-playing unknown); refunded');
    expect(noAnchorMessage('after_purchased', false)).toBe(
      'Queue position unavailable (now-playing unknown)',
    );
  });

  it('confirms a placement only when the item follows its anchor', () => {
    expect(isPlacedAfter([1, 2, 3], 3, 2)).toBe(true);
    expect(isPlacedAfter([1, 3, 2], 3, 2)).toBe(false);
    expect(isPlacedAfter([3, 1], 3, 1)).toBe(false);
    expect(placementConfirmed([1, 9, 2], 9, 1, 1)).toBe(true);
    expect(placementConfirmed([1, 2, 9], 9, 1, 1)).toBe(false);
    expect(placementConfirmed([1, 2], 9, 1, 1)).toBe(false);
  });

  it('accepts a placement whose anchor finished playing meanwhile', () => {
    expect(placementConfirmed([2, 9, 3], 9, 1, 2)).toBe(true);
    expect(placementConfirmed([9, 3], 9, 1, 9)).toBe(true);
    expect(placementConfirmed([2, 3, 9], 9, 1, 2)).toBe(false);
  });

  it('finds the now-playing uid by uid, else by media id and type', () => {
    const list = [
      { uid: 1, media_id: 'a', media_type: 'cm' },
      { uid: 2, media_id: 'b', media_type: 'yt' },
    ];
    expect(nowPlayingUidOf(list, { uid: 2, id: 'x', type: 'cm' })).toBe(2);
    expect(nowPlayingUidOf(list, { uid: null, id: 'b', type: 'yt' })).toBe(2);
    expect(nowPlayingUidOf(list, { uid: null, id: 'b', type: 'cm' })).toBeNull();
    expect(nowPlayingUidOf(list, { uid: 77, id: 'a', type: '' })).toBe(1);
    expect(nowPlayingUidOf(list, null)).toBeNull();
  });

  it('computes the play offset with wrap-around', () => {
    expect(playOffset([1, 2, 3], 1, 2)).toBe(1);
    expect(playOffset([5, 1, 2, 3], 2, 5)).toBe(2);
    expect(playOffset([1, 2, 3], null, 2)).toBe(1);
    expect(playOffset([1, 2], 1, 1)).toBe(0);
    expect(playOffset([1, 2], 1, 9)).toBeNull();
  });
});
