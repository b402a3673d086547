import { Injectable, Logger } from '@nestjs/common';
import { ConfigInterval } from '../scheduling/config-interval';
import { Clock } from '../common/clock';
import { AuthRepository } from './auth.repository';
import { OtpService } from './otp.service';
import { SessionRevocations } from './session-revocations.service';

export interface AuthCleanupSummary {
  otps_deleted: number;
  revocations_deleted: number;
  limiter_keys_pruned: number;
  error?: string;
}

/** Hourly: delete expired or used codes and revocations of tokens that expired anyway. */
@Injectable()
export class AuthCleanupService {
  private readonly logger = new Logger('AuthCleanup');

  constructor(
    private readonly repo: AuthRepository,
    private readonly revocations: SessionRevocations,
    private readonly otps: OtpService,
    private readonly clock: Clock,
  ) {}

  @ConfigInterval('auth-cleanup', () => 3_600_000)
  onInterval(): Promise<AuthCleanupSummary> {
    return this.tick();
  }

  /** One round. Never rejects (a timer calls it). */
  async tick(): Promise<AuthCleanupSummary> {
    const now = this.clock.now();
    const summary: AuthCleanupSummary = { otps_deleted: 0, revocations_deleted: 0, limiter_keys_pruned: 0 };
    try {
      summary.limiter_keys_pruned = this.otps.pruneLimiters(now.getTime());
      summary.otps_deleted = await this.repo.deleteSpentOtps(now);
      summary.revocations_deleted = await this.revocations.prune(now);
    } catch (err) {
      summary.error = err instanceof Error ? err.message : String(err);
      this.logger.error(`auth cleanup failed: ${summary.error}`);
    }
    return summary;
  }
}
