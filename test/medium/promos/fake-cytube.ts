import type { SeededRandom } from '../../../src/common/random';
import type { NowPlaying, PlaylistAddRequest, PlaylistItem } from '../../../src/kryten/api-gate.types';
import { CytubeQueueFailError, UpstreamUnavailableError } from '../../../src/kryten/kryten.errors';

/**
 * An in-process CyTube behind api-gate for the seeded interleaving tests: the same answers and
 * failure modes as the simulator, minus HTTP, so thousands of runs take seconds. Every call yields
 * to the event loop a random number of times (other work runs in between); commands are applied
 * in order after a random delay (writes that take effect later); an add may fail, or answer 504
 * and still land; a move may be dropped silently. `onChange` sees the playlist after every change.
 */
export interface FakeCytubeOptions {
  addFailRate: number;
  addTimeoutRate: number;
  moveDropRate: number;
  maxTurns: number;
}

interface Entry {
  uid: number;
  temp: boolean;
  media: { id: string; title: string; seconds: number };
}

type Command = () => void;

export class FakeCytube {
  private list: Entry[] = [];
  private current: number | null = null;
  private nextUid = 1;
  private readonly commands: Command[] = [];
  private applying = false;
  onChange: (list: readonly Entry[]) => void = () => undefined;

  constructor(
    private readonly random: SeededRandom,
    private readonly options: FakeCytubeOptions,
    private readonly durations: ReadonlyMap<string, number>,
  ) {}

  /** Yield to the event loop 0…maxTurns times. */
  async turns(max = this.options.maxTurns): Promise<void> {
    const n = this.random.int(max + 1);
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  }

  seed(mediaIds: readonly string[]): void {
    for (const id of mediaIds) this.list.push(this.entry(id, false));
    this.current = this.list[0]?.uid ?? null;
  }

  playlistNow(): readonly Entry[] {
    return this.list;
  }

  // --- the api-gate client surface the product uses ---

  async getPlaylist(): Promise<PlaylistItem[]> {
    await this.turns();
    return this.list.map((e) => ({
      uid: e.uid,
      temp: e.temp,
      queueby: 'bot',
      media: { id: e.media.id, title: e.media.title, seconds: e.media.seconds, duration: '', type: 'cm' },
    }));
  }

  async getNowPlaying(): Promise<NowPlaying | null> {
    await this.turns();
    const e = this.list.find((x) => x.uid === this.current);
    if (!e) return null;
    return {
      uid: e.uid,
      id: e.media.id,
      title: e.media.title,
      seconds: e.media.seconds,
      duration: '',
      type: 'cm',
      currentTime: 1,
      paused: false,
    };
  }

  async playlistAdd(req: PlaylistAddRequest): Promise<{ uid: number | null }> {
    await this.turns();
    if (this.random.next() < this.options.addFailRate) {
      throw new UpstreamUnavailableError('kryten-api-gate', 'HTTP 503', 503);
    }
    if (this.list.some((e) => e.media.id === req.id) || this.pendingIds.has(req.id)) {
      throw new CytubeQueueFailError('This item is already on the playlist');
    }
    const entry = this.entry(req.id, req.temp ?? true);
    this.pendingIds.add(req.id);
    this.enqueue(() => {
      this.pendingIds.delete(req.id);
      this.list.push(entry);
      if (this.current === null) this.current = entry.uid;
    });
    if (this.random.next() < this.options.addTimeoutRate) {
      await this.turns();
      throw new UpstreamUnavailableError('kryten-api-gate', 'Robot command timed out', 504);
    }
    return { uid: entry.uid };
  }

  async playlistMove(uid: number, position: number | 'prepend' | 'append'): Promise<string> {
    await this.turns();
    if (this.random.next() < this.options.moveDropRate) return 'published'; // dropped silently
    this.enqueue(() => {
      const at = this.list.findIndex((e) => e.uid === uid);
      if (at < 0) return;
      const [entry] = this.list.splice(at, 1);
      if (position === 'prepend') this.list.unshift(entry);
      else if (position === 'append') this.list.push(entry);
      else {
        const after = this.list.findIndex((e) => e.uid === position);
        if (after < 0) {
          this.list.splice(at, 0, entry);
        } // invalid: CyTube drops it
        else this.list.splice(after + 1, 0, entry);
      }
    });
    return 'published';
  }

  async playlistDelete(uid: number): Promise<string> {
    await this.turns();
    this.enqueue(() => {
      this.list = this.list.filter((e) => e.uid !== uid);
    });
    return 'published';
  }

  async playlistClear(): Promise<string> {
    await this.turns();
    this.enqueue(() => {
      this.list = [];
      this.current = null;
    });
    return 'published';
  }

  // --- the channel moving on ---

  /** The playing item ends; the next starts (a temp item leaves). */
  finishCurrent(): void {
    const at = this.list.findIndex((e) => e.uid === this.current);
    if (at < 0) return;
    const leaving = this.list[at];
    const next = this.list[(at + 1) % this.list.length];
    if (leaving.temp) this.list.splice(at, 1);
    this.current = this.list.length === 0 ? null : next === leaving ? (this.list[0]?.uid ?? null) : next.uid;
    this.onChange(this.list);
  }

  /** Apply every command still pending. */
  async drain(): Promise<void> {
    while (this.commands.length > 0 || this.applying) await new Promise((r) => setImmediate(r));
  }

  private readonly pendingIds = new Set<string>();

  private entry(id: string, temp: boolean): Entry {
    return { uid: this.nextUid++, temp, media: { id, title: id, seconds: this.durations.get(id) ?? 600 } };
  }

  /** Commands apply in order, each after a random delay. */
  private enqueue(command: Command): void {
    this.commands.push(command);
    if (this.applying) return;
    this.applying = true;
    void (async () => {
      while (this.commands.length > 0) {
        await this.turns();
        (this.commands.shift() as Command)();
        this.onChange(this.list);
      }
      this.applying = false;
    })();
  }
}
