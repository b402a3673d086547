import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';

/**
 * The journal of one pay-to-play insert (a saga). Written before the economy spend and
 * advanced at each step, so a crash at any point can be finished or compensated at start-up.
 *   pending → spent → added → positioned → recorded        (success)
 *   any step → refunded (with refund_reason) | failed (spend never happened)
 *   pending → uncertain (the spend call got no usable answer: it may land later) → refunded | failed
 */
export type SpendState =
  'pending' | 'uncertain' | 'spent' | 'added' | 'positioned' | 'recorded' | 'refunded' | 'failed';

@Entity('spend_requests')
@Index('idx_spend_requests_uid', ['uid'])
@Index('idx_spend_requests_state', ['state'])
export class SpendRequestEntity {
  /** UUID sent to the economy as the spend's request_id (idempotency key there). */
  @PrimaryColumn({ type: 'text' }) request_id!: string;
  @Column({ type: 'text' }) username!: string;
  @Column({ type: 'integer', nullable: true }) uid!: number | null;
  @Column({ type: 'text', nullable: true }) friendly_token!: string | null;
  @Column({ type: 'text' }) tier!: string;
  @Column({ type: 'integer', nullable: true }) z_cost!: number | null;
  @TimestampColumn() created_at!: Date;
  @Column({ type: 'boolean', default: false }) refunded!: boolean;
  @NullableTimestampColumn() refunded_at!: Date | null;
  // --- ours: the saga journal ---
  @Column({ type: 'text', default: 'pending' }) state!: SpendState;
  /** The client's idempotency key: a double click finds this row instead of spending twice. */
  @Column({ type: 'text', nullable: true, unique: true }) client_key!: string | null;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  @Column({ type: 'text', nullable: true }) media_type!: string | null;
  @Column({ type: 'text', nullable: true }) media_id!: string | null;
  @Column({ type: 'integer', nullable: true }) duration_sec!: number | null;
  @Column({ type: 'integer', nullable: true }) refunded_z!: number | null;
  @Column({ type: 'text', nullable: true }) refund_reason!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @NullableTimestampColumn() updated_at!: Date | null;
  /**
   * A CyTube uid whose spend was refunded and which must leave the channel (else it would play
   * for free). The reconciler deletes it again until a playlist read-back shows it gone.
   */
  @Column({ type: 'integer', nullable: true }) removal_uid!: number | null;
}
