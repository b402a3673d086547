import { type SimItem } from './world/channel';
import { type CatalogItem } from './world/catalog-generator';
import { type EconomyConfig } from './world/economy';
import { type FaultRule } from './world/faults';
import { type ChatRecord } from './world/world';

/** A typed HTTP client for the simulator's `/sim` control routes (for tests and the demo). */

export interface SimStateSnapshot {
  clock: { now: string; nowMs: number };
  seed: number;
  playlist: SimItem[];
  current: { uid: number; currentTime: number; paused: boolean } | null;
  nowPlaying: Record<string, unknown>;
  users: { name: string; rank: number; afk: boolean }[];
  balances: Record<string, number>;
  pending: number;
  catalogSize: number;
  faults: FaultRule[];
}

export interface SimUserInput {
  name: string;
  rank?: number;
  afk?: boolean;
  balance?: number;
  lifetime_earned?: number;
}

export class SimControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

export class SimControl {
  private readonly base: string;
  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  state(): Promise<SimStateSnapshot> {
    return this.call('GET', '/sim/state');
  }
  /** Applies pending fire-and-forget commands, then moves the clock. `advance(0)` = flush. */
  advance(seconds: number): Promise<{ now: string; nowMs: number; applied: number }> {
    return this.call('POST', '/sim/clock/advance', { seconds });
  }
  /** Applies pending fire-and-forget commands without moving the clock. */
  flush(): Promise<{ applied: number }> {
    return this.call('POST', '/sim/flush');
  }
  /** api-gate requests received since the last reset, by `METHOD /path` (numeric segments `:n`). */
  requests(): Promise<Record<string, number>> {
    return this.call('GET', '/sim/requests');
  }
  resetRequests(): Promise<unknown> {
    return this.call('DELETE', '/sim/requests');
  }
  addUser(user: SimUserInput): Promise<unknown> {
    return this.call('POST', '/sim/users', user);
  }
  removeUser(name: string): Promise<{ left: boolean }> {
    return this.call('DELETE', `/sim/users/${encodeURIComponent(name)}`);
  }
  updateUser(name: string, patch: Omit<SimUserInput, 'name'>): Promise<unknown> {
    return this.call('PATCH', `/sim/users/${encodeURIComponent(name)}`, patch);
  }
  pms(to?: string): Promise<ChatRecord[]> {
    return this.call('GET', `/sim/pms${to === undefined ? '' : `?to=${encodeURIComponent(to)}`}`);
  }
  chat(): Promise<ChatRecord[]> {
    return this.call('GET', '/sim/chat');
  }
  setFaults(rules: FaultRule[]): Promise<{ rules: FaultRule[] }> {
    return this.call('PUT', '/sim/faults', { rules });
  }
  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/sim/faults');
  }
  reset(seed?: number): Promise<SimStateSnapshot> {
    return this.call('POST', '/sim/reset', seed === undefined ? {} : { seed });
  }
  /** Someone else queues an item (`token` = a catalog item, or `type`+`id`). */
  queueAsOther(input: {
    token?: string;
    type?: string;
    id?: string;
    position?: 'end' | 'next';
    temp?: boolean;
    queueby?: string;
  }): Promise<{ success: true; uid: number }> {
    return this.call('POST', '/sim/playlist', input);
  }
  catalog(offset = 0, limit = 100): Promise<{ count: number; items: CatalogItem[] }> {
    return this.call('GET', `/sim/catalog?offset=${offset}&limit=${limit}`);
  }
  media(token: string): Promise<CatalogItem> {
    return this.call('GET', `/sim/media/${encodeURIComponent(token)}`);
  }
  deleteMedia(token: string): Promise<{ removed: boolean }> {
    return this.call('DELETE', `/sim/media/${encodeURIComponent(token)}`);
  }
  /** Change economy config; `blackout: true` forces a blackout on. */
  economy(
    patch: Partial<EconomyConfig> & { blackout?: boolean },
  ): Promise<{ config: EconomyConfig; blackout: boolean }> {
    return this.call('PATCH', '/sim/economy', patch);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    if (!res.ok) throw new SimControlError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }
}
