import { Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns';

/** Ours: a logged-out session token (by its `jti`), refused until it would have expired anyway. */
@Entity('revoked_sessions')
export class RevokedSessionEntity {
  @PrimaryColumn({ type: 'text' }) jti!: string;
  @TimestampColumn() expires_at!: Date;
}
