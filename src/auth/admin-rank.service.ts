import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { type AdminRankLostEvent, LiveEvent } from '../live/live.events';
import { ApiGateClient } from '../kryten/api-gate.client';
import { AdminRankUnavailableException, AdminRequiredException } from './auth.exceptions';

export const ADMIN_RANK = 3;
/** An admin's rank is re-read from api-gate at most this often. */
export const ADMIN_RECHECK_MS = 60_000;

interface KnownRank {
  rank: number;
  confirmedAtMs: number;
}

/**
 * The live rank behind AdminOnly. The session's rank is only a hint: an admin route asks
 * api-gate `/state/user` (cached per username for 60 s), so a demoted admin loses access within
 * a minute and an admin who logged in while offline (rank 0 in the session) gets it back once
 * seen in the channel. During an api-gate outage the last confirmed rank holds until it is 60 s
 * old; then admin routes answer 503. An offline answer cannot confirm anything: 403.
 */
@Injectable()
export class AdminRankService {
  private readonly known = new Map<string, KnownRank>();
  private readonly inFlight = new Map<string, Promise<number>>();

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /** Record a rank read live (at login, or by a lookup here); a lost admin rank is announced. */
  remember(username: string, rank: number): void {
    const before = this.known.get(username)?.rank;
    this.known.set(username, { rank, confirmedAtMs: this.clock.nowMs() });
    if (before !== undefined && before >= ADMIN_RANK && rank < ADMIN_RANK) {
      this.events.emit(LiveEvent.AdminRankLost, { username, rank } satisfies AdminRankLostEvent);
    }
  }

  /**
   * The rank every admin capability checks, on any route (show hidden items, Hide buttons, the
   * admin socket room): the session's rank for a viewer who never was an admin, else the live
   * rank (re-read at most every 60 s). A live check that fails for any reason means "not admin"
   * here — viewer routes keep working, only the admin extras go.
   */
  async effectiveRank(username: string, sessionRank: number): Promise<number> {
    const known = this.lastKnown(username);
    if (sessionRank < ADMIN_RANK && (known === undefined || known < ADMIN_RANK)) return sessionRank;
    try {
      return await this.confirmAdmin(username);
    } catch {
      return Math.min(this.lastKnown(username) ?? sessionRank, ADMIN_RANK - 1);
    }
  }

  /** The last rank read live for this user, however old (for display only), or undefined. */
  lastKnown(username: string): number | undefined {
    return this.known.get(username)?.rank;
  }

  /**
   * The user's confirmed live rank, ≥ ADMIN_RANK.
   * @throws AdminRequiredException (403) when the live rank is lower or the user is offline;
   *   AdminRankUnavailableException (503) when api-gate fails and the cache is older than 60 s.
   */
  async confirmAdmin(username: string): Promise<number> {
    const rank = await this.liveRank(username);
    if (rank < ADMIN_RANK) throw new AdminRequiredException();
    return rank;
  }

  private async liveRank(username: string): Promise<number> {
    const entry = this.known.get(username);
    if (entry && this.clock.nowMs() - entry.confirmedAtMs < ADMIN_RECHECK_MS) return entry.rank;
    const pending = this.inFlight.get(username);
    if (pending) return pending;
    const lookup = this.lookup(username).finally(() => this.inFlight.delete(username));
    this.inFlight.set(username, lookup);
    return lookup;
  }

  private async lookup(username: string): Promise<number> {
    let presence;
    try {
      presence = await this.apiGate.getUser(username);
    } catch {
      throw new AdminRankUnavailableException();
    }
    if (!presence.online) {
      const entry = this.known.get(username);
      if (entry && entry.rank >= ADMIN_RANK) this.remember(username, 0);
      throw new AdminRequiredException(
        'Admin required: your rank can only be confirmed while you are in the CyTube channel',
      );
    }
    this.remember(username, presence.rank);
    return presence.rank;
  }
}
