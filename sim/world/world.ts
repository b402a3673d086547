import { Channel, type ChannelOptions, makeMedia, type MoveAfter, type SimMedia } from './channel';
import { SimClock } from './clock';
import { generateCatalog } from './catalog-generator';
import { Economy, type EconomyConfig } from './economy';
import { Faults } from './faults';
import { MediaCmsStore, manifestToken } from './mediacms';
import { MetadataDb } from './metadata';
import { GraphWorkbooks } from './graph';
import { hashString, Rng } from './rng';
import { Users } from './users';

/**
 * The whole simulated world: a CyTube channel seen through Kryten-Robot and api-gate, its
 * users, kryten-economy, and MediaCMS, all on one seeded RNG and one clock.
 *
 * Fire-and-forget commands (move, delete, jump, clear, chat, pm) are queued and applied
 * later, never reported back. When: at the start of the next `advance()` (any amount,
 * including 0) — the only moment in manual mode — or, if the server is started with a
 * real-time `commandDelayMs`, that many wall-clock ms after they were sent.
 */

export type Command =
  | { kind: 'move'; uid: number; after: MoveAfter }
  | { kind: 'delete'; uid: number }
  | { kind: 'jump'; uid: number }
  | { kind: 'clear' }
  | { kind: 'chat'; message: string }
  | { kind: 'pm'; username: string; message: string }
  | { kind: 'lateAdd'; media: SimMedia; pos: 'end' | 'next'; temp: boolean; queueby: string }
  /** A request whose client was already answered with a fault (`applies: 'later'`). */
  | { kind: 'lateRequest'; run: () => void };

export interface ChatRecord {
  to?: string;
  from?: string;
  message: string;
  at: string;
  /** PMs only: whether the recipient was in the channel (CyTube matches case-insensitively). */
  delivered?: boolean;
}

export interface WorldOptions {
  seed: number;
  catalogSize: number;
  startTime: number;
  botName: string;
  channel: Partial<ChannelOptions>;
  economy: Partial<EconomyConfig>;
  rankChangeWipesMeta: boolean;
  /** CyTube's per-user add limiter (burst 10, then 500 ms apart, on the sim clock). Default off. */
  rateLimit: boolean;
}

export const DEFAULT_WORLD_OPTIONS: WorldOptions = {
  seed: 1,
  catalogSize: 500,
  startTime: Date.UTC(2026, 5, 14, 12, 0, 0),
  botName: 'KrytenBot',
  channel: {},
  economy: {},
  rankChangeWipesMeta: false,
  rateLimit: false,
};

export type AddResult =
  { status: 200; body: { success: true; uid: number } } | { status: 422 | 504; body: { detail: string } };

const MEDIA_TYPES = ['yt', 'vi', 'dm', 'sc', 'fi', 'hl', 'tw', 'rt', 'gd', 'li', 'cm', 'cu'];
const HTTP_REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

type Resolved =
  { ok: true; media: SimMedia } | { ok: false; status: 422 | 504; msg: string; lateAdd?: SimMedia };

export class World {
  /** api-gate requests received, by `METHOD /path` with numeric segments as `:n` (tests count calls). */
  readonly requests = new Map<string, number>();

  countRequest(method: string, path: string): void {
    const key = `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/:n')}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  options: WorldOptions;
  clock!: SimClock;
  rng!: Rng;
  channel!: Channel;
  users!: Users;
  economy!: Economy;
  mediacms!: MediaCmsStore;
  metadata!: MetadataDb;
  graph!: GraphWorkbooks;
  faults!: Faults;
  chat: ChatRecord[] = [];
  pms: ChatRecord[] = [];
  pending: Command[] = [];
  private addTimes: number[] = [];

  constructor(options: Partial<WorldOptions> = {}) {
    this.options = { ...DEFAULT_WORLD_OPTIONS, ...options };
    this.reset(this.options.seed);
  }

  /** Rebuild everything from a seed (same catalog size, start time and switches). */
  reset(seed = this.options.seed): void {
    this.options.seed = seed;
    const now = (): number => this.clock.nowMs();
    this.clock = new SimClock(this.options.startTime);
    this.rng = new Rng(seed);
    this.channel = new Channel(now, this.options.channel);
    this.users = new Users(this.options.rankChangeWipesMeta);
    this.economy = new Economy(now, this.options.economy);
    this.mediacms = new MediaCmsStore(
      generateCatalog(seed, this.options.catalogSize, this.options.startTime),
      now,
    );
    this.metadata = new MetadataDb(seed, this.mediacms.all());
    this.graph = new GraphWorkbooks(now);
    this.faults = new Faults(this.rng);
    this.chat = [];
    this.pms = [];
    this.pending = [];
    this.addTimes = [];
  }

  nowMs(): number {
    return this.clock.nowMs();
  }

  /** A fresh 9-character MediaCMS friendly token. */
  newFriendlyToken(): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      let t = '';
      for (let i = 0; i < 9; i++) t += chars[this.rng.int(chars.length)];
      if (!this.mediacms.get(t)) return t;
    }
  }

  /** Apply pending commands, then move the clock forward, running every playback tick on the way. */
  advance(ms: number): void {
    this.flush();
    const target = this.clock.nowMs() + Math.max(0, ms);
    this.channel.advanceTo(target);
    this.clock.set(target);
    this.mediacms.settleEncodings();
  }

  /** Queue a fire-and-forget command; returns the `message_id` the gate answers with. */
  enqueue(command: Command): string {
    this.pending.push(command);
    return this.rng.uuid();
  }

  flush(): number {
    const commands = this.pending;
    this.pending = [];
    for (const command of commands) this.apply(command);
    return commands.length;
  }

  apply(command: Command): void {
    const at = this.clock.now().toISOString();
    switch (command.kind) {
      case 'move':
        this.channel.move(command.uid, command.after);
        break;
      case 'delete':
        this.channel.delete(command.uid);
        break;
      case 'jump':
        this.channel.jump(command.uid);
        break;
      case 'clear':
        this.channel.clear();
        break;
      case 'chat':
        this.chat.push({ from: this.options.botName, message: command.message.slice(0, 320), at });
        break;
      case 'pm':
        this.pms.push({
          to: command.username,
          from: this.options.botName,
          message: command.message.slice(0, 320),
          at,
          delivered: this.users.findInsensitive(command.username) !== undefined,
        });
        break;
      case 'lateAdd':
        this.channel.add(command.media, command.pos, command.temp, command.queueby);
        break;
      case 'lateRequest':
        command.run();
        break;
    }
  }

  /** `POST /playlist/add` as api-gate + Robot + CyTube answer it. */
  playlistAdd(
    body: { type: string; id: string; position?: string; temp?: boolean },
    queueby = this.options.botName,
  ): AddResult {
    const pos = body.position ?? 'end';
    if (pos !== 'end' && pos !== 'next') return { status: 504, body: { detail: 'Robot command timed out' } };
    if (this.options.rateLimit && !this.rateAllowed()) {
      return { status: 422, body: { detail: 'You are adding videos too quickly' } };
    }
    const resolved = this.resolveMedia(body.type, body.id);
    if (!resolved.ok) {
      if (resolved.lateAdd) {
        this.enqueue({ kind: 'lateAdd', media: resolved.lateAdd, pos, temp: body.temp ?? true, queueby });
      }
      return { status: resolved.status, body: { detail: resolved.msg } };
    }
    const outcome = this.channel.add(resolved.media, pos, body.temp ?? true, queueby);
    if (!outcome.ok) return { status: 422, body: { detail: outcome.msg } };
    return { status: 200, body: { success: true, uid: outcome.uid } };
  }

  /** CyTube's media lookup. For `cm` it "fetches" the manifest from the simulated MediaCMS. */
  resolveMedia(type: string, id: string): Resolved {
    if (!MEDIA_TYPES.includes(type)) return { ok: false, status: 422, msg: `Unknown media type '${type}'` };
    if (type === 'cm') return this.resolveManifest(id);
    if (type === 'yt') {
      if (!/^[A-Za-z0-9_-]{11}$/.test(id)) return { ok: false, status: 422, msg: 'Invalid YouTube video ID' };
      return { ok: true, media: makeMedia('yt', id, `YouTube video ${id}`, 60 + (hashString(id) % 840)) };
    }
    return { ok: true, media: makeMedia(type, id, id.split('/').pop() || id, 600 + (hashString(id) % 3000)) };
  }

  private resolveManifest(id: string): Resolved {
    let url: URL;
    try {
      url = new URL(id);
    } catch {
      return { ok: false, status: 422, msg: 'Invalid URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, status: 422, msg: 'The protocol for manifest URLs must be HTTP(S)' };
    }
    const fail = (status: number): Resolved => ({
      ok: false,
      status: 422,
      msg: `Expected HTTP 200 OK, not ${status} ${HTTP_REASONS[status] ?? ''}`.trim(),
    });
    if (url.pathname === '/view' || url.pathname.startsWith('/view/')) return fail(302);
    const token = manifestToken(url.pathname);
    if (!token) return fail(404);
    const item = this.mediacms.get(token);
    const media = item
      ? makeMedia('cm', id, item.title, item.duration, {
          direct: {
            720: [
              {
                link: `${url.origin}/media/hls/${token}/master.m3u8`,
                contentType: 'application/x-mpegURL',
                quality: 720,
              },
            ],
          },
          textTracks: [],
          thumbnail: item.has_thumbnail ? `${url.origin}/media/original/thumbnails/${token}.png` : undefined,
        })
      : null;
    const fault = this.faults.match('GET', url.pathname);
    if (fault) {
      const latency = fault.latency_ms ?? 0;
      if (fault.timeout || latency >= 10_000) {
        return { ok: false, status: 504, msg: 'Robot command timed out' };
      }
      if (fault.status !== undefined && fault.status !== 200) return fail(fault.status);
      if (latency >= 8_000) {
        return { ok: false, status: 504, msg: 'Robot command timed out', lateAdd: media ?? undefined };
      }
    }
    if (!media) return fail(500);
    return { ok: true, media };
  }

  /** Burst 10, then at least 500 ms after the last allowed add; resets after 5 s idle. */
  private rateAllowed(): boolean {
    const now = this.clock.nowMs();
    const last = this.addTimes[this.addTimes.length - 1];
    if (last === undefined || now - last >= 5000) {
      this.addTimes = [now];
      return true;
    }
    if (this.addTimes.length < 10 || now - last >= 500) {
      this.addTimes.push(now);
      return true;
    }
    return false;
  }

  snapshot(): Record<string, unknown> {
    return {
      clock: { now: this.clock.now().toISOString(), nowMs: this.clock.nowMs() },
      seed: this.options.seed,
      playlist: this.channel.items,
      current: this.channel.current,
      nowPlaying: this.channel.nowPlaying(),
      users: this.users.list().map((u) => ({ name: u.name, rank: u.rank, afk: u.afk })),
      balances: Object.fromEntries(this.economy.allAccounts().map((a) => [a.username, a.balance])),
      pending: this.pending.length,
      catalogSize: this.mediacms.size,
      faults: this.faults.list(),
    };
  }
}
