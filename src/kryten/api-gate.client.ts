import { type Dispatcher } from 'undici';
import {
  type BalanceResult,
  type MovePosition,
  type NowPlaying,
  normaliseNowPlaying,
  normalisePlaylist,
  normaliseRefund,
  normaliseSpend,
  normaliseUser,
  type PlaylistAddRequest,
  type PlaylistItem,
  type QueuePreview,
  type QueuePriceRequest,
  type QueueRefundRequest,
  type QueueRefundResult,
  type QueueSpendRequest,
  type QueueSpendResult,
  type TransactionsPage,
  type UserPresence,
} from './api-gate.types';
import {
  CytubeQueueFailError,
  UpstreamAuthError,
  UpstreamNotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from './kryten.errors';
import { detailOf, HttpTransport, type HttpResponse } from './kryten.http';

export interface ApiGateClientOptions {
  /** Config `api_gate_url`; the client trims a trailing `/` and appends `/api/v1`. */
  baseUrl: string;
  token: string;
  /** Total deadline per call (default 10 s). */
  timeoutMs?: number;
  /** TCP connect deadline (default 5 s). */
  connectTimeoutMs?: number;
}

const SERVICE = 'kryten-api-gate';

/**
 * kryten-api-gate over HTTP. One method per route webqueue uses. Never
 * retries. Fire-and-forget routes resolve with the gate's `message_id`, which only means
 * "published": poll the playlist to learn whether CyTube applied it. Economy spend/refund
 * business failures come back as values (`success:false`), not errors.
 */
export class ApiGateClient {
  readonly baseUrl: string;
  private readonly http: HttpTransport;

  constructor(private readonly options: ApiGateClientOptions) {
    this.baseUrl = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.http = new HttpTransport(SERVICE, options.timeoutMs ?? 10_000, options.connectTimeoutMs ?? 5_000);
  }

  // --- state ---

  async getPlaylist(): Promise<PlaylistItem[]> {
    return normalisePlaylist(await this.call('GET', '/state/playlist'));
  }

  async getNowPlaying(): Promise<NowPlaying | null> {
    return normaliseNowPlaying(await this.call('GET', '/state/now-playing'));
  }

  /** Exact, case-sensitive. A Robot timeout also looks offline (api-gate can't tell). */
  async getUser(username: string): Promise<UserPresence> {
    return normaliseUser(await this.call('GET', `/state/user/${encodeURIComponent(username)}`), username);
  }

  // --- playlist ---

  /**
   * Adds and returns CyTube's uid (null when the Robot's wait expired first).
   * @throws CytubeQueueFailError on 422 with a string detail; UpstreamUnavailableError on
   *   500/502/504 and transport failures. A 504 does not prove the item was not added.
   */
  async playlistAdd(req: PlaylistAddRequest): Promise<{ uid: number | null }> {
    const body = (await this.call('POST', '/playlist/add', {
      type: req.type,
      id: req.id,
      position: req.position ?? 'end',
      temp: req.temp ?? true,
    })) as { uid?: unknown } | null;
    const uid = body?.uid;
    return { uid: typeof uid === 'number' && Number.isInteger(uid) ? uid : null };
  }

  /** Place `uid` after the item `position` (a uid), or `prepend`/`append`. Fire-and-forget. */
  playlistMove(uid: number, position: MovePosition): Promise<string> {
    return this.fire('PUT', `/playlist/${uid}/move`, { position });
  }

  playlistDelete(uid: number): Promise<string> {
    return this.fire('DELETE', `/playlist/${uid}`);
  }

  /** `DELETE /playlist/` (the trailing slash is required). */
  playlistClear(): Promise<string> {
    return this.fire('DELETE', '/playlist/');
  }

  /** Probably a silent no-op on a real Robot; never wait for it. */
  playlistJump(uid: number): Promise<string> {
    return this.fire('POST', `/playlist/${uid}/jump`);
  }

  // --- chat ---

  sendChat(message: string): Promise<string> {
    return this.fire('POST', '/chat/send', { message });
  }

  sendPm(username: string, message: string): Promise<string> {
    return this.fire('POST', '/chat/pm', { username, message });
  }

  // --- economy ---

  async getBalance(username: string): Promise<BalanceResult> {
    const body = (await this.call(
      'GET',
      `/economy/balance/${encodeURIComponent(username)}`,
    )) as BalanceResult | null;
    return body && body.found === true ? body : { found: false };
  }

  async getTransactions(username: string, limit = 20, offset = 0): Promise<TransactionsPage> {
    const path = `/economy/transactions/${encodeURIComponent(username)}?limit=${limit}&offset=${offset}`;
    const body = (await this.call('GET', path)) as Partial<TransactionsPage> | null;
    return {
      username: body?.username ?? username,
      channel: body?.channel ?? '',
      limit: body?.limit ?? limit,
      offset: body?.offset ?? offset,
      transactions: Array.isArray(body?.transactions) ? body.transactions : [],
    };
  }

  async queuePreview(req: QueuePriceRequest): Promise<QueuePreview> {
    return (await this.call('POST', '/economy/queue-preview', req)) as QueuePreview;
  }

  /** Business failures (`success:false`, e.g. `cooldown_active`) are returned: check `success`. */
  async queueSpend(req: QueueSpendRequest): Promise<QueueSpendResult> {
    return normaliseSpend(await this.call('POST', '/economy/queue-spend', req));
  }

  /** Always a full refund. `success:false` (e.g. `unknown_request_id`) is returned: check `success`. */
  async queueRefund(req: QueueRefundRequest): Promise<QueueRefundResult> {
    return normaliseRefund(await this.call('POST', '/economy/queue-refund', req));
  }

  /** `GET /system/health` (no auth needed): api-gate up, and whether it reaches NATS. */
  async systemHealth(): Promise<{ status: string; nats_connected: boolean }> {
    const body = (await this.call('GET', '/system/health')) as {
      status?: unknown;
      nats_connected?: unknown;
    } | null;
    return {
      status: typeof body?.status === 'string' ? body.status : 'unknown',
      nats_connected: body?.nats_connected === true,
    };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  // --- plumbing ---

  private async fire(method: Dispatcher.HttpMethod, path: string, json?: unknown): Promise<string> {
    const body = (await this.call(method, path, json)) as { message_id?: unknown } | null;
    return typeof body?.message_id === 'string' ? body.message_id : '';
  }

  private async call(method: Dispatcher.HttpMethod, path: string, json?: unknown): Promise<unknown> {
    const res = await this.http.send({
      method,
      url: `${this.baseUrl}${path}`,
      headers: { authorization: `Bearer ${this.options.token}` },
      json,
    });
    if (res.status >= 200 && res.status < 300) return res.body;
    throw this.mapError(path, res);
  }

  private mapError(path: string, res: HttpResponse): Error {
    const detail = detailOf(res.body);
    const stringDetail = res.isJson && typeof (res.body as { detail?: unknown } | null)?.detail === 'string';
    if (res.status === 401) return new UpstreamAuthError(SERVICE, detail);
    if (res.status === 404) return new UpstreamNotFoundError(SERVICE, `${path.split('?')[0]}`, 404);
    if (res.status === 422 && path === '/playlist/add' && stringDetail) {
      return new CytubeQueueFailError(detail);
    }
    if (res.status === 502 && path.startsWith('/economy/') && stringDetail) {
      return new UpstreamRejectedError(SERVICE, detail, 502);
    }
    if (res.status >= 500) {
      return new UpstreamUnavailableError(SERVICE, `HTTP ${res.status}: ${detail}`, res.status);
    }
    return new UpstreamRejectedError(SERVICE, detail, res.status);
  }
}
