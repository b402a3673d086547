/**
 * Typed shapes of kryten-api-gate answers and the pure functions that
 * normalise what comes over the wire into them.
 */

export interface PlaylistMedia {
  /** For `cm` the manifest URL; for `yt` the 11-character id. */
  id: string;
  title: string;
  seconds: number;
  duration: string;
  type: string;
  meta?: Record<string, unknown>;
}

export interface PlaylistItem {
  uid: number;
  temp: boolean;
  queueby: string | null;
  media: PlaylistMedia;
}

export interface NowPlaying {
  /** Missing before the Robot saw a `setCurrent`; look it up by id/type then. */
  uid: number | null;
  id: string;
  title: string;
  seconds: number;
  duration: string;
  type: string;
  /** -3 and paused right after a change (CyTube's lead-in). */
  currentTime: number;
  paused: boolean;
}

export type UserPresence =
  | {
      online: true;
      name: string;
      rank: number;
      afk: boolean;
      meta: Record<string, unknown>;
      /** True when the answer had no numeric `rank` (then `rank` is 0); login defaults it to 1. */
      rankMissing?: boolean;
      profile?: { image?: string; text?: string };
    }
  | { online: false; username: string; rank: 0 };

export type AddPosition = 'end' | 'next';
export type MovePosition = number | 'prepend' | 'append';

export interface PlaylistAddRequest {
  type: string;
  id: string;
  position?: AddPosition;
  temp?: boolean;
}

export type BalanceResult =
  | {
      found: true;
      username: string;
      channel: string;
      balance: number;
      lifetime_earned: number;
      rank_name: string;
    }
  | { found: false };

export interface EconomyTransaction {
  id: number;
  username: string;
  channel: string;
  /** Signed: negative for debits. */
  amount: number;
  type: string;
  reason: string | null;
  trigger_id: string | null;
  related_user: string | null;
  metadata: unknown;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  created_at: string;
}

export interface TransactionsPage {
  username: string;
  channel: string;
  limit: number;
  offset: number;
  transactions: EconomyTransaction[];
}

export type EligibilityErrorCode =
  'blackout_active' | 'daily_limit_reached' | 'cooldown_active' | 'insufficient_balance';

export interface QueuePriceRequest {
  username: string;
  duration_sec: number;
  tier: string;
}

export interface QueuePreview {
  available: boolean;
  cost_z: number;
  base_cost: number;
  tier_label: string;
  discount_pct: number;
  daily_remaining: number;
  error_code: EligibilityErrorCode | null;
  cooldown_remaining_sec?: number;
}

export interface QueueSpendRequest extends QueuePriceRequest {
  request_id: string;
}

/** HTTP 200 either way: check `success`. */
export interface QueueSpendResult {
  success: boolean;
  cost_z?: number;
  tier?: string;
  tier_label?: string;
  new_balance?: number;
  request_id?: string;
  error_code?: string;
  /** The economy already had this request_id: nothing was charged again. */
  replay: boolean;
}

export interface QueueRefundRequest {
  username: string;
  request_id: string;
  reason: string;
}

/** HTTP 200 either way: check `success`. */
export interface QueueRefundResult {
  success: boolean;
  /** The economy calls it `refunded`; older docs say `refunded_z`. Either is read. */
  refunded_z?: number;
  new_balance?: number;
  request_id?: string;
  error?: string;
  replay: boolean;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function num(value: unknown, fallback = 0): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

function str(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}

/** CyTube's display duration: `MM:SS` under an hour, `HH:MM:SS` from an hour up. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${two(h)}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

function normaliseMedia(raw: Json): PlaylistMedia {
  const seconds = Math.trunc(num(raw.seconds));
  const media: PlaylistMedia = {
    id: str(raw.id),
    title: str(raw.title),
    seconds,
    duration: typeof raw.duration === 'string' ? raw.duration : formatDuration(seconds),
    type: str(raw.type),
  };
  if (raw.meta && typeof raw.meta === 'object') media.meta = raw.meta as Json;
  return media;
}

/** One `/state/playlist` item, nested (`{uid,temp,queueby,media:{…}}`) or old flat (`{uid,title,type,id,seconds}`). */
export function normalisePlaylistItem(raw: unknown): PlaylistItem | null {
  const o = asObject(raw);
  const uid = num(o.uid, NaN);
  if (!Number.isInteger(uid)) return null;
  const mediaSource = o.media && typeof o.media === 'object' ? asObject(o.media) : o;
  return {
    uid,
    temp: o.temp === undefined ? true : Boolean(o.temp),
    queueby: typeof o.queueby === 'string' ? o.queueby : null,
    media: normaliseMedia(mediaSource),
  };
}

/** `{items:[…]}` (or a bare list) → typed items; entries without an integer uid are dropped. */
export function normalisePlaylist(raw: unknown): PlaylistItem[] {
  const items = Array.isArray(raw) ? raw : asObject(raw).items;
  if (!Array.isArray(items)) return [];
  return items.map(normalisePlaylistItem).filter((item): item is PlaylistItem => item !== null);
}

/** `{}` (nothing known) → null. */
export function normaliseNowPlaying(raw: unknown): NowPlaying | null {
  const o = asObject(raw);
  if (o.id === undefined && o.title === undefined && o.uid === undefined) return null;
  const media = normaliseMedia(o.media && typeof o.media === 'object' ? asObject(o.media) : o);
  const uid = num(o.uid, NaN);
  return {
    uid: Number.isInteger(uid) ? uid : null,
    id: media.id,
    title: media.title,
    seconds: media.seconds,
    duration: media.duration,
    type: media.type,
    currentTime: num(o.currentTime),
    paused: Boolean(o.paused),
  };
}

/** Presence rule: no data or `online === false` → gone; otherwise online, AFK from `meta.afk`. */
export function normaliseUser(raw: unknown, requested: string): UserPresence {
  const o = asObject(raw);
  const name = typeof o.name === 'string' ? o.name : typeof o.username === 'string' ? o.username : undefined;
  if (o.online === false || name === undefined) {
    return { online: false, username: typeof o.username === 'string' ? o.username : requested, rank: 0 };
  }
  const meta = asObject(o.meta);
  const user: UserPresence = { online: true, name, rank: num(o.rank), afk: Boolean(meta.afk), meta };
  if (o.profile && typeof o.profile === 'object') {
    user.profile = o.profile;
  }
  if (!Number.isFinite(num(o.rank, NaN))) user.rankMissing = true;
  return user;
}

export function normaliseSpend(raw: unknown): QueueSpendResult {
  const o = asObject(raw);
  const out: QueueSpendResult = { success: o.success === true, replay: o.idempotent_replay === true };
  if (o.cost_z !== undefined) out.cost_z = num(o.cost_z);
  if (typeof o.tier === 'string') out.tier = o.tier;
  if (typeof o.tier_label === 'string') out.tier_label = o.tier_label;
  if (o.new_balance !== undefined && o.new_balance !== null) out.new_balance = num(o.new_balance);
  if (typeof o.request_id === 'string') out.request_id = o.request_id;
  if (typeof o.error_code === 'string') out.error_code = o.error_code;
  return out;
}

export function normaliseRefund(raw: unknown): QueueRefundResult {
  const o = asObject(raw);
  const out: QueueRefundResult = { success: o.success === true, replay: o.idempotent_replay === true };
  const refunded = o.refunded ?? o.refunded_z;
  if (refunded !== undefined && refunded !== null) out.refunded_z = num(refunded);
  if (o.new_balance !== undefined && o.new_balance !== null) out.new_balance = num(o.new_balance);
  if (typeof o.request_id === 'string') out.request_id = o.request_id;
  if (typeof o.error === 'string') out.error = o.error;
  return out;
}
