import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnEvent } from '@nestjs/event-emitter';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { SessionRevocations } from '../auth/session-revocations.service';
import { verifySession } from '../auth/session-token';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { LiveEvent, type SessionRevokedEvent } from './live.events';
import { sessionCookie } from './live.gateway';
import { LiveService } from './live.service';

/** The old service's close code for a refused session. */
export const WS_UNAUTHENTICATED = 4001;
export const LEGACY_WS_PATH = '/ws';

/** The frames an old overlay understands (server → client). */
export type LegacyFrameType = 'queue_state' | 'schedule_fired';

interface Client {
  username: string;
  jti: string;
}

/**
 * The old service's raw WebSocket at `/ws`, for overlays and bots that never moved to Socket.IO:
 * the `session` cookie at upgrade (missing → close 4001 "Not authenticated", bad or logged out →
 * 4001 "Invalid session", after accepting, as the old page expects), `{"type":"queue_state",
 * "data":…}` on connect and whenever the queue changes (the same change-only broadcasts as
 * Socket.IO), `{"type":"schedule_fired",…}`, and `{"type":"pong"}` for `{"type":"ping"}`; anything
 * else is ignored. Every tab of a user stays connected (the old one kept only the newest, and then
 * lost it); a logout closes that session's sockets.
 */
@Injectable()
export class LegacyWsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LegacyWs');
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly clients = new Map<WebSocket, Client>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly live: LiveService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as
      | { on(event: 'upgrade', fn: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): void }
      | undefined;
    if (!server) return;
    server.on('upgrade', (req, socket, head) => {
      if (pathOf(req.url) !== LEGACY_WS_PATH) return; // Socket.IO has its own path
      this.wss.handleUpgrade(req, socket, head, (ws) => void this.connected(ws, req));
    });
    this.live.attachLegacy(this);
  }

  /** Number of open legacy sockets (health, metrics). */
  connectedCount(): number {
    return this.clients.size;
  }

  /** One frame, serialised once, to every open socket; a socket whose send fails is dropped. */
  broadcast(type: LegacyFrameType, data: unknown): void {
    if (this.clients.size === 0) return;
    const frame = JSON.stringify({ type, data });
    for (const ws of this.clients.keys()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      ws.send(frame, (err) => {
        if (err) this.drop(ws);
      });
    }
  }

  @OnEvent(LiveEvent.SessionRevoked)
  closeRevoked(event: SessionRevokedEvent): void {
    for (const [ws, client] of this.clients) {
      if (client.jti === event.jti) ws.close(WS_UNAUTHENTICATED, 'Logged out');
    }
  }

  onModuleDestroy(): void {
    for (const ws of this.clients.keys()) ws.terminate();
    this.clients.clear();
    this.wss.close();
  }

  private async connected(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const check = verifySession(
      sessionCookie(req.headers.cookie),
      this.config.secret_key,
      this.clock.nowMs(),
    );
    if (!check.ok || this.revocations.isRevoked(check.claims.jti)) {
      const reason = !check.ok && check.reason === 'missing' ? 'Not authenticated' : 'Invalid session';
      ws.close(WS_UNAUTHENTICATED, reason);
      return;
    }
    this.clients.set(ws, { username: check.claims.sub, jti: check.claims.jti });
    ws.on('message', (data) => this.onMessage(ws, data));
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => this.drop(ws));
    try {
      const state = await this.live.snapshot();
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'queue_state', data: state }));
    } catch (err) {
      this.logger.warn(`initial queue_state failed: ${(err as Error).message}`);
    }
  }

  private onMessage(ws: WebSocket, data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      return; // invalid JSON is ignored, as before
    }
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ping') {
      ws.send(JSON.stringify({ type: 'pong' }));
    }
  }

  private drop(ws: WebSocket): void {
    this.clients.delete(ws);
    ws.terminate();
  }
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
