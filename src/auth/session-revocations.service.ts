import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { LiveEvent, type SessionRevokedEvent } from '../live/live.events';
import { AuthRepository } from './auth.repository';
import type { SessionClaims } from './session-token';

/**
 * The server-side denylist of logged-out session tokens (by `jti`). Kept in memory for the
 * per-request check (SessionGuard and the page middleware are synchronous about it) and written
 * through to `revoked_sessions`, which is read back at start-up so a restart forgets nothing.
 */
@Injectable()
export class SessionRevocations implements OnModuleInit {
  /** jti → when the token would expire anyway (ms). */
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly repo: AuthRepository,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  async onModuleInit(): Promise<void> {
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
