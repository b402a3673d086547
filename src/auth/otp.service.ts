import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { RandomSource } from '../common/random';
import { AppConfig } from '../config/app-config';
import { ApiGateClient } from '../kryten/api-gate.client';
import { AdminRankService } from './admin-rank.service';
import {
  InvalidCodeException,
  PmFailedException,
  RateLimitedException,
  UsernameRequiredException,
  UsernameTooLongException,
} from './auth.exceptions';
import { AuthRepository } from './auth.repository';
import {
  generateCode,
  hashCode,
  hashesEqual,
  isWellFormedCode,
  LIVE_CODES_PER_USER,
  loginCodeMessage,
  normaliseCode,
  normaliseUsername,
  OTP_TTL_MS,
  type PresenceReading,
  rankAtLogin,
  USERNAME_MAX_LENGTH,
  usernameKey,
} from './auth.rules';
import { RateLimits } from '../cluster/rate-limits';
import type { LimitVerdict } from './rate-limiter';
import type { SessionUser } from './session-token';

const MINUTE = 60_000;

/** The login limits (in memory with one instance; in Redis, counted together, with several). */
export const AUTH_LIMITS = {
  requestsPerUser: { limit: 3, windowMs: 5 * MINUTE },
  requestsPerIp: { limit: 10, windowMs: 10 * MINUTE },
  /** Failed verifies per username within one code lifetime; the 5th burns every code. */
  failuresPerUser: { limit: 5, windowMs: OTP_TTL_MS },
  failuresPerIp: { limit: 20, windowMs: 10 * MINUTE },
} as const;

/**
 * One-time codes by CyTube PM: request (rate-limited, PM'd, stored
 * hashed, 5 minutes), verify (single use, newest codes only, brute force burns them).
 */
@Injectable()
export class OtpService {
  private readonly logger = new Logger('Auth');
  private readonly limiters;

  constructor(
    private readonly repo: AuthRepository,
    private readonly apiGate: ApiGateClient,
    private readonly ranks: AdminRankService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    limits: RateLimits,
  ) {
    const limit = (name: keyof typeof AUTH_LIMITS) =>
      limits.create(`otp-${name}`, AUTH_LIMITS[name].limit, AUTH_LIMITS[name].windowMs);
    this.limiters = {
      requestsPerUser: limit('requestsPerUser'),
      requestsPerIp: limit('requestsPerIp'),
      failuresPerUser: limit('failuresPerUser'),
      failuresPerIp: limit('failuresPerIp'),
    };
  }

  /**
   * Issue and PM a code. The answer is the same whether or not the name exists or is online
   * (no user enumeration; CyTube silently drops a PM to someone not in the channel).
   */
  async requestCode(rawUsername: unknown, ip: string): Promise<{ success: true }> {
    const username = normaliseUsername(rawUsername);
    if (!username) throw new UsernameRequiredException('username required');
    if (username.length > USERNAME_MAX_LENGTH) throw new UsernameTooLongException(USERNAME_MAX_LENGTH);

    const now = this.clock.now();
    const nowMs = now.getTime();
    const userKey = usernameKey(username);
    const refused = worst(
      await this.limiters.requestsPerIp.check(ip, nowMs),
      await this.limiters.requestsPerUser.check(userKey, nowMs),
    );
    if (refused) {
      throw new RateLimitedException('Too many OTP requests. Try again later.', refused.retryAfterSec);
    }
    await this.limiters.requestsPerIp.record(ip, nowMs);
    await this.limiters.requestsPerUser.record(userKey, nowMs);

    const code = generateCode((max) => this.random.secureInt(max));
    const row = await this.repo.insertOtp(
      username,
      hashCode(username, code, this.config.secret_key),
      now,
      new Date(nowMs + OTP_TTL_MS),
    );
    try {
      await this.apiGate.sendPm(username, loginCodeMessage(code));
    } catch (err) {
      await this.repo.deleteOtp(row.id);
      this.logger.warn(
        `login code PM to ${username} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw new PmFailedException();
    }
    return { success: true };
  }

  /** Check a code; on success it is used up (with every other code of the user) and the rank is read. */
  async verifyCode(rawUsername: unknown, rawCode: unknown, ip: string): Promise<SessionUser> {
    const username = normaliseUsername(rawUsername);
    const code = normaliseCode(rawCode);
    if (!username || !code) throw new UsernameRequiredException('username and code required');

    // Every attempt is counted as a failure up front (one atomic check-and-record), so
    // concurrent guesses cannot slip past the limits; a success takes its mark back.
    const nowMs = this.clock.nowMs();
    const userKey = usernameKey(username);
    const ipVerdict = await this.limiters.failuresPerIp.hit(ip, nowMs);
    if (!ipVerdict.allowed) {
      throw new RateLimitedException(
        'Too many failed login attempts from your address. Try again later.',
        ipVerdict.retryAfterSec,
      );
    }
    const userVerdict = await this.limiters.failuresPerUser.hit(userKey, nowMs);
    if (!userVerdict.allowed) {
      await this.limiters.failuresPerIp.forgive(ip, nowMs);
      throw new RateLimitedException(
        'Too many wrong codes for this name: its codes were cancelled. Wait, then request a new code.',
        userVerdict.retryAfterSec,
      );
    }

    const matched = await this.findMatch(username, code, nowMs);
    if (matched === null || !(await this.repo.claim(matched))) {
      await this.afterFailure(username, nowMs);
      throw new InvalidCodeException();
    }
    await this.limiters.failuresPerIp.forgive(ip, nowMs);
    await this.limiters.failuresPerUser.reset(userKey);
    await this.repo.burnAll(username);
    const rank = rankAtLogin(await this.readPresence(username));
    return { username, rank };
  }

  /** Prune idle limiter keys; returns how many were dropped. */
  pruneLimiters(nowMs: number): number {
    return Object.values(this.limiters).reduce((sum, l) => sum + l.prune(nowMs), 0);
  }

  /** The id of the matching live code, comparing every candidate in constant time. */
  private async findMatch(username: string, code: string, nowMs: number): Promise<number | null> {
    if (!isWellFormedCode(code)) return null;
    const candidates = (await this.repo.newestUnused(username, LIVE_CODES_PER_USER)).filter(
      (row) => row.expires_at.getTime() > nowMs,
    );
    const given = hashCode(username, code, this.config.secret_key);
    let matched: number | null = null;
    for (const row of candidates) {
      if (hashesEqual(row.code_hash, given)) matched = row.id;
    }
    return matched;
  }

  /** The 5th wrong code within a code lifetime burns every code of the name. */
  private async afterFailure(username: string, nowMs: number): Promise<void> {
    const userKey = usernameKey(username);
    if ((await this.limiters.failuresPerUser.count(userKey, nowMs)) >= AUTH_LIMITS.failuresPerUser.limit) {
      const burned = await this.repo.burnAll(username);
      if (burned > 0) this.logger.warn(`too many wrong codes for ${username}: burned ${burned} code(s)`);
    }
  }

  private async readPresence(username: string): Promise<PresenceReading> {
    try {
      const presence = await this.apiGate.getUser(username);
      if (!presence.online) return { kind: 'offline' };
      if (presence.rankMissing) return { kind: 'online', rank: undefined };
      this.ranks.remember(username, presence.rank);
      return { kind: 'online', rank: presence.rank };
    } catch (err) {
      this.logger.warn(
        `rank lookup for ${username} failed, using the default: ${err instanceof Error ? err.message : String(err)}`,
      );
      return { kind: 'error' };
    }
  }
}

/** The refusal that lasts longest, or null when every limiter allows. */
function worst(...verdicts: LimitVerdict[]): LimitVerdict | null {
  const refused = verdicts.filter((v) => !v.allowed);
  if (refused.length === 0) return null;
  return refused.reduce((a, b) => (b.retryAfterSec > a.retryAfterSec ? b : a));
}
