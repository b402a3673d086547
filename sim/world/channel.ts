import { formatDuration } from './clock';

/**
 * CyTube's playlist engine for one channel: uids, add/move/delete/clear/jump,
 * and the 1 s playback tick. Pure state; the caller supplies the time.
 */

export interface SimMedia {
  id: string;
  title: string;
  seconds: number;
  duration: string;
  type: string;
  meta: Record<string, unknown>;
}

export interface SimItem {
  uid: number;
  temp: boolean;
  queueby: string;
  media: SimMedia;
}

export interface Playback {
  uid: number;
  /** The live playback position (CyTube's own copy). */
  currentTime: number;
  paused: boolean;
  /** The last `mediaUpdate` the Robot saw: what now-playing reports (lags up to 5 s). */
  reported: { currentTime: number; paused: boolean };
  /** Ticks since the lead-in ended. */
  counter: number;
  changedAtMs: number;
}

export type AddOutcome = { ok: true; uid: number } | { ok: false; msg: string };
export type AddPosition = 'end' | 'next';
export type MoveAfter = number | 'prepend' | 'append';

export interface ChannelOptions {
  firstUid: number;
  /** Send a mediaUpdate every N ticks (CyTube: 5). */
  mediaUpdateEvery: number;
  /** Quirk: after a clear the Robot keeps the old now-playing until the next change. */
  staleNowPlayingAfterClear: boolean;
  maxItems: number;
}

export const DEFAULT_CHANNEL_OPTIONS: ChannelOptions = {
  firstUid: 100,
  mediaUpdateEvery: 5,
  staleNowPlayingAfterClear: false,
  maxItems: 4000,
};

/** CyTube cuts titles to 100 characters: the first 97 plus `...`. */
export function cutTitle(title: string): string {
  return title.length > 100 ? `${title.slice(0, 97)}...` : title;
}

export function makeMedia(
  type: string,
  id: string,
  title: string,
  seconds: number,
  meta: Record<string, unknown> = {},
): SimMedia {
  const secs = Math.max(0, Math.trunc(seconds));
  return { id, type, title: cutTitle(title), seconds: secs, duration: formatDuration(secs), meta };
}

export class Channel {
  items: SimItem[] = [];
  current: Playback | null = null;
  private nextUid: number;
  private nextTickAt = 0;
  private stale: Record<string, unknown> | null = null;
  readonly options: ChannelOptions;

  constructor(
    private readonly now: () => number,
    options: Partial<ChannelOptions> = {},
  ) {
    this.options = { ...DEFAULT_CHANNEL_OPTIONS, ...options };
    this.nextUid = this.options.firstUid;
  }

  find(uid: number): SimItem | undefined {
    return this.items.find((item) => item.uid === uid);
  }

  currentItem(): SimItem | undefined {
    return this.current ? this.find(this.current.uid) : undefined;
  }

  /** CyTube `queue` after the media lookup succeeded (§2.3 step 6–7). */
  add(media: SimMedia, pos: AddPosition, temp: boolean, queueby: string): AddOutcome {
    if (this.items.length >= this.options.maxItems) {
      return { ok: false, msg: `Playlist limit reached (${this.options.maxItems})` };
    }
    const dup = this.items.find((item) => item.media.id === media.id);
    if (dup) {
      if (pos === 'end' || this.current?.uid === dup.uid) {
        return { ok: false, msg: 'This item is already on the playlist' };
      }
      temp = dup.temp;
      this.items.splice(this.items.indexOf(dup), 1);
    }
    const item: SimItem = {
      uid: this.nextUid++,
      temp,
      queueby,
      media: { ...media, title: cutTitle(media.title) },
    };
    const cur = this.currentItem();
    if (pos === 'next' && cur) {
      this.items.splice(this.items.indexOf(cur) + 1, 0, item);
    } else {
      this.items.push(item);
    }
    if (!this.current) this.startPlayback(item);
    return { ok: true, uid: item.uid };
  }

  /** CyTube `moveMedia {from, after}`; invalid moves do nothing (returns false). */
  move(from: number, after: MoveAfter): boolean {
    const item = this.find(from);
    if (!item || from === after) return false;
    if (typeof after === 'number' && !this.find(after)) return false;
    this.items.splice(this.items.indexOf(item), 1);
    if (after === 'prepend') {
      this.items.unshift(item);
    } else if (after === 'append') {
      this.items.push(item);
    } else {
      const anchor = this.find(after) as SimItem;
      this.items.splice(this.items.indexOf(anchor) + 1, 0, item);
    }
    return true;
  }

  /** CyTube `delete`: removing the current item moves play to the next one (wrapping). */
  delete(uid: number): boolean {
    const index = this.items.findIndex((item) => item.uid === uid);
    if (index < 0) return false;
    this.items.splice(index, 1);
    if (this.current?.uid === uid) {
      if (this.items.length === 0) {
        this.current = null;
      } else {
        this.startPlayback(this.items[index] ?? this.items[0]);
      }
    }
    return true;
  }

  clear(): void {
    if (this.options.staleNowPlayingAfterClear) this.stale = this.nowPlaying();
    this.items = [];
    this.current = null;
  }

  /** CyTube `jumpTo`: the target becomes current; a temp previous item is deleted. */
  jump(uid: number): boolean {
    const target = this.find(uid);
    if (!target) return false;
    const previous = this.currentItem();
    this.startPlayback(target);
    if (previous && previous.temp && previous.uid !== uid) {
      this.items.splice(this.items.indexOf(previous), 1);
    }
    return true;
  }

  /** CyTube `_playNext`: a temp item is deleted, otherwise play moves on and the list loops. */
  playNext(): void {
    const cur = this.currentItem();
    if (!cur) return;
    if (cur.temp) {
      this.delete(cur.uid);
      return;
    }
    const index = this.items.indexOf(cur);
    this.startPlayback(this.items[index + 1] ?? this.items[0]);
  }

  /** Run every 1 s tick due up to `nowMs`. */
  advanceTo(nowMs: number): void {
    while (this.current && this.nextTickAt <= nowMs) {
      const tickAt = this.nextTickAt;
      this.nextTickAt += 1000;
      this.tick(tickAt);
    }
  }

  nowPlaying(): Record<string, unknown> {
    const cur = this.currentItem();
    if (!cur || !this.current) return this.stale ?? {};
    return {
      ...cur.media,
      currentTime: this.current.reported.currentTime,
      paused: this.current.reported.paused,
      uid: cur.uid,
    };
  }

  private startPlayback(item: SimItem): void {
    const live = item.media.seconds <= 0;
    const start = live ? 0 : -3;
    const at = this.now();
    this.stale = null;
    this.current = {
      uid: item.uid,
      currentTime: start,
      paused: !live,
      reported: { currentTime: start, paused: !live },
      counter: 0,
      changedAtMs: at,
    };
    this.nextTickAt = at + 1000;
  }

  /** CyTube `_leadLoop` with dt = 1 s. */
  private tick(tickAt: number): void {
    const cur = this.current;
    const item = this.currentItem();
    if (!cur || !item) return;
    if (item.media.seconds <= 0) return; // live items never move on
    if (cur.currentTime < 0 && cur.currentTime + 1 >= 0) {
      cur.currentTime = 0;
      cur.paused = false;
      cur.counter = 0;
      cur.reported = { currentTime: 0, paused: false };
      return;
    }
    cur.currentTime += 1;
    cur.counter++;
    if (cur.currentTime >= item.media.seconds + 2) {
      const before = this.current;
      this.playNext();
      // the next item starts at this tick's time, not at "now"
      if (this.current && this.current !== before) {
        this.current.changedAtMs = tickAt;
        this.nextTickAt = tickAt + 1000;
      }
    } else if (cur.counter % this.options.mediaUpdateEvery === 0) {
      cur.reported = { currentTime: cur.currentTime, paused: cur.paused };
    }
  }
}
