import { Channel, cutTitle, makeMedia, type SimMedia } from './channel';

function setup(firstUid = 100) {
  let now = Date.UTC(2026, 0, 1);
  const channel = new Channel(() => now, { firstUid });
  const advance = (seconds: number): void => {
    now += seconds * 1000;
    channel.advanceTo(now);
  };
  return { channel, advance };
}

const media = (n: number, seconds = 60): SimMedia =>
  makeMedia('cm', `https://m/api/v1/media/cytube/T${n}.json`, `Title ${n}`, seconds);
const uids = (channel: Channel): number[] => channel.items.map((i) => i.uid);

describe('Channel (CyTube playlist engine)', () => {
  it('gives increasing uids and starts playing the first add into an empty list', () => {
    const { channel } = setup();
    expect(channel.add(media(1), 'end', true, 'bot')).toEqual({ ok: true, uid: 100 });
    expect(channel.add(media(2), 'end', true, 'bot')).toEqual({ ok: true, uid: 101 });
    expect(channel.current?.uid).toBe(100);
    expect(channel.nowPlaying()).toMatchObject({ uid: 100, currentTime: -3, paused: true, title: 'Title 1' });
  });

  it('reports {} when nothing plays', () => {
    expect(setup().channel.nowPlaying()).toEqual({});
  });

  it('runs the lead-in, then reports mediaUpdates every 5 ticks', () => {
    const { channel, advance } = setup();
    channel.add(media(1, 60), 'end', true, 'bot');
    advance(2);
    expect(channel.nowPlaying()).toMatchObject({ currentTime: -3, paused: true });
    advance(1);
    expect(channel.nowPlaying()).toMatchObject({ currentTime: 0, paused: false });
    advance(4);
    expect(channel.nowPlaying()).toMatchObject({ currentTime: 0 });
    advance(1);
    expect(channel.nowPlaying()).toMatchObject({ currentTime: 5 });
    expect(channel.current?.currentTime).toBe(5);
  });

  it('removes a temp item once it has played (seconds + 5) and moves on', () => {
    const { channel, advance } = setup();
    channel.add(media(1, 10), 'end', true, 'bot');
    channel.add(media(2, 10), 'end', true, 'bot');
    advance(14);
    expect(channel.current?.uid).toBe(100);
    advance(1);
    expect(uids(channel)).toEqual([101]);
    expect(channel.nowPlaying()).toMatchObject({ uid: 101, currentTime: -3, paused: true });
    advance(15);
    expect(channel.items).toEqual([]);
    expect(channel.nowPlaying()).toEqual({});
  });

  it('loops non-temp items like CyTube', () => {
    const { channel, advance } = setup();
    channel.add(media(1, 10), 'end', false, 'bot');
    channel.add(media(2, 20), 'end', false, 'bot');
    advance(15);
    expect(channel.current?.uid).toBe(101);
    advance(25);
    expect(channel.current?.uid).toBe(100);
    expect(uids(channel)).toEqual([100, 101]);
  });

  it('never moves on from a zero-length (live) item', () => {
    const { channel, advance } = setup();
    channel.add(media(1, 0), 'end', true, 'bot');
    advance(3600);
    expect(channel.current?.uid).toBe(100);
  });

  it('moves after a uid, prepends, appends, and ignores invalid moves', () => {
    const { channel } = setup();
    for (let i = 1; i <= 4; i++) channel.add(media(i), 'end', true, 'bot');
    expect(channel.move(103, 100)).toBe(true);
    expect(uids(channel)).toEqual([100, 103, 101, 102]);
    expect(channel.move(102, 'prepend')).toBe(true);
    expect(uids(channel)).toEqual([102, 100, 103, 101]);
    expect(channel.move(102, 'append')).toBe(true);
    expect(uids(channel)).toEqual([100, 103, 101, 102]);
    expect(channel.move(999, 100)).toBe(false);
    expect(channel.move(101, 999)).toBe(false);
    expect(channel.move(101, 101)).toBe(false);
    expect(uids(channel)).toEqual([100, 103, 101, 102]);
    expect(channel.current?.uid).toBe(100);
  });

  it('adds `next` right after the current item', () => {
    const { channel } = setup();
    channel.add(media(1), 'end', true, 'bot');
    channel.add(media(2), 'end', true, 'bot');
    channel.add(media(3), 'next', true, 'bot');
    expect(uids(channel)).toEqual([100, 102, 101]);
  });

  it('deletes the current item and plays the next one, wrapping to the first', () => {
    const { channel } = setup();
    for (let i = 1; i <= 3; i++) channel.add(media(i), 'end', false, 'bot');
    channel.jump(102);
    expect(channel.delete(102)).toBe(true);
    expect(channel.current?.uid).toBe(100);
    expect(channel.delete(555)).toBe(false);
    channel.delete(100);
    channel.delete(101);
    expect(channel.current).toBeNull();
  });

  it('clears everything (and optionally keeps a stale now-playing)', () => {
    const { channel } = setup();
    channel.add(media(1), 'end', true, 'bot');
    channel.clear();
    expect(channel.items).toEqual([]);
    expect(channel.nowPlaying()).toEqual({});

    const stale = new Channel(() => 0, { staleNowPlayingAfterClear: true });
    stale.add(media(1), 'end', true, 'bot');
    stale.clear();
    expect(stale.nowPlaying()).toMatchObject({ title: 'Title 1' });
    stale.add(media(2), 'end', true, 'bot');
    expect(stale.nowPlaying()).toMatchObject({ title: 'Title 2' });
  });

  it('jumps, deleting the previous item when it was temp', () => {
    const { channel } = setup();
    channel.add(media(1), 'end', true, 'bot');
    channel.add(media(2), 'end', false, 'bot');
    channel.add(media(3), 'end', true, 'bot');
    expect(channel.jump(102)).toBe(true);
    expect(uids(channel)).toEqual([101, 102]);
    expect(channel.jump(101)).toBe(true);
    expect(uids(channel)).toEqual([101]);
    expect(channel.jump(42)).toBe(false);
  });

  it('rejects duplicates like CyTube, except `next` on a copy that is not playing', () => {
    const { channel } = setup();
    channel.add(media(1), 'end', true, 'bot');
    channel.add(media(2), 'end', false, 'bot');
    channel.add(media(3), 'end', true, 'bot');
    expect(channel.add(media(2), 'end', true, 'bot')).toEqual({
      ok: false,
      msg: 'This item is already on the playlist',
    });
    expect(channel.add(media(1), 'next', true, 'bot')).toEqual({
      ok: false,
      msg: 'This item is already on the playlist',
    });
    expect(channel.add(media(3), 'next', true, 'bot')).toEqual({ ok: true, uid: 103 });
    expect(uids(channel)).toEqual([100, 103, 101]);
    // the re-added item keeps the old copy's temp flag
    expect(channel.add(media(2), 'next', true, 'bot')).toEqual({ ok: true, uid: 104 });
    expect(channel.find(104)?.temp).toBe(false);
  });

  it('cuts titles to 100 characters and formats durations', () => {
    expect(cutTitle('x'.repeat(120))).toBe(`${'x'.repeat(97)}...`);
    expect(cutTitle('short')).toBe('short');
    expect(makeMedia('yt', 'abc', 't', 5520).duration).toBe('01:32:00');
    expect(makeMedia('yt', 'abc', 't', 75).duration).toBe('01:15');
  });

  it('enforces the playlist limit', () => {
    const channel = new Channel(() => 0, { maxItems: 2 });
    channel.add(media(1), 'end', true, 'bot');
    channel.add(media(2), 'end', true, 'bot');
    expect(channel.add(media(3), 'end', true, 'bot')).toEqual({
      ok: false,
      msg: 'Playlist limit reached (2)',
    });
  });
});
