import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual, type Repository } from 'typeorm';
import { OtpEntity } from './entities/otp.entity';
import { RevokedSessionEntity } from './entities/revoked-session.entity';

/** The otps and revoked_sessions tables. Times are compared as real Dates, never as text. */
@Injectable()
export class AuthRepository {
  private readonly otps: Repository<OtpEntity>;
  private readonly revoked: Repository<RevokedSessionEntity>;

  constructor(dataSource: DataSource) {
    this.otps = dataSource.getRepository(OtpEntity);
    this.revoked = dataSource.getRepository(RevokedSessionEntity);
  }

  async insertOtp(username: string, codeHash: string, createdAt: Date, expiresAt: Date): Promise<OtpEntity> {
    return this.otps.save(
      this.otps.create({
        username,
        code_hash: codeHash,
        created_at: createdAt,
        expires_at: expiresAt,
        used: false,
      }),
    );
  }

  /** The newest `limit` unused codes of exactly this username (expiry is checked by the caller). */
  newestUnused(username: string, limit: number): Promise<OtpEntity[]> {
    return this.otps.find({ where: { username, used: false }, order: { id: 'DESC' }, take: limit });
  }

  /**
   * Mark used every unused code of the user, whatever the letter case of the name (after a
   * login, or when brute force burns them). Returns how many were burned.
   */
  async burnAll(username: string): Promise<number> {
    const result = await this.otps
      .createQueryBuilder()
      .update()
      .set({ used: true })
      .where('LOWER(username) = :lower AND used = :unused', { lower: username.toLowerCase(), unused: false })
      .execute();
    return result.affected ?? 0;
  }

  /** Single use: true only for the one caller that flips this code from unused to used. */
  async claim(id: number): Promise<boolean> {
    const result = await this.otps.update({ id, used: false }, { used: true });
    return (result.affected ?? 0) === 1;
  }

  async deleteOtp(id: number): Promise<void> {
    await this.otps.delete({ id });
  }

  /** Expired or used codes. */
  async deleteSpentOtps(now: Date): Promise<number> {
    const expired = await this.otps.delete({ expires_at: LessThanOrEqual(now) });
    const used = await this.otps.delete({ used: true });
    return (expired.affected ?? 0) + (used.affected ?? 0);
  }

  async revoke(jti: string, expiresAt: Date): Promise<void> {
    await this.revoked.upsert({ jti, expires_at: expiresAt }, ['jti']);
  }

  /** Revocations that still matter (the token they name has not expired yet). */
  async activeRevocations(now: Date): Promise<RevokedSessionEntity[]> {
    const rows = await this.revoked.find();
    return rows.filter((r) => r.expires_at.getTime() > now.getTime());
  }

  async deleteExpiredRevocations(now: Date): Promise<number> {
    const result = await this.revoked.delete({ expires_at: LessThanOrEqual(now) });
    return result.affected ?? 0;
  }
}
