import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ClusterBus } from '../cluster/cluster-bus';
import { Clock } from '../common/clock';

const REVOKED_CHANNEL = 'auth.revoked';
import { LiveEvent, type SessionRevokedEvent } from '../live/live.events';
import { AuthRepository } from './auth.repository';
import type { SessionClaims } from './session-token';

/**
 * The server-side denylist of logged-out session tokens (by `jti`). Kept in memory for the
 * per-request check (SessionGuard and the page middleware are synchronous about it) and written
 * through to `revoked_sessions`, which is read back at start-up so a restart forgets nothing.
 * With several instances a logout is told to the others over the bus, so a token revoked in
 * one is refused by all of them at once.
 */
@Injectable()
export class SessionRevocations implements OnModuleInit {
  /** jti → when the token would expire anyway (ms). */
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly repo: AuthRepository,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly bus: ClusterBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.bus.subscribe(REVOKED_CHANNEL, (message) => {
      const { jti, expMs } = message as { jti: string; expMs: number };
      this.revoked.set(jti, expMs);
      this.events.emit(LiveEvent.SessionRevoked, { jti } satisfies SessionRevokedEvent);
    });
    for (const row of await this.repo.activeRevocations(this.clock.now())) {
      this.revoked.set(row.jti, row.expires_at.getTime());
    }
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  async revoke(claims: Pick<SessionClaims, 'jti' | 'exp'>): Promise<void> {
    const expMs = claims.exp * 1000;
    this.revoked.set(claims.jti, expMs);
    await this.repo.revoke(claims.jti, new Date(expMs));
    this.bus.publish(REVOKED_CHANNEL, { jti: claims.jti, expMs });
    this.events.emit(LiveEvent.SessionRevoked, { jti: claims.jti } satisfies SessionRevokedEvent);
  }

  /** Forget revocations of tokens that have expired anyway (memory and table). */
  async prune(now: Date): Promise<number> {
    for (const [jti, expMs] of this.revoked) {
      if (expMs <= now.getTime()) this.revoked.delete(jti);
    }
    return this.repo.deleteExpiredRevocations(now);
  }
}
