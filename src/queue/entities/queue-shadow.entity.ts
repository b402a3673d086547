import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NullableTimestampColumn } from '../../database/columns';

/** The persisted mirror of the live CyTube playlist, one row per CyTube uid. */
@Entity('queue_shadow')
export class QueueShadowEntity {
  @PrimaryColumn({ type: 'integer' }) uid!: number;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  @Column({ type: 'text', nullable: true }) friendly_token!: string | null;
  @Column({ type: 'text' }) media_type!: string;
  @Column({ type: 'text' }) media_id!: string;
  @Column({ type: 'integer', nullable: true }) duration_sec!: number | null;
  @Column({ type: 'boolean', default: false }) is_pay!: boolean;
  @Column({ type: 'text', nullable: true }) paid_by!: string | null;
  /** `queue` | `playnext` | `admin` (ours) for admin inserts. */
  @Column({ type: 'text', nullable: true }) tier!: string | null;
  @Column({ type: 'integer', nullable: true }) z_cost!: number | null;
  @Column({ type: 'integer', nullable: true }) schedule_id!: number | null;
  @NullableTimestampColumn() estimated_start_at!: Date | null;
  @NullableTimestampColumn() added_at!: Date | null;
  @Column({ type: 'boolean', default: false }) is_promo!: boolean;
  @Column({ type: 'text', nullable: true }) promo_type!: string | null;
  /** For a Feature Presentation / Viewer's Choice lead-in: the uid of the content it introduces. */
  @Column({ type: 'integer', nullable: true }) lead_in_for_uid!: number | null;
  /** Ours: the spend behind a paid item, for refunds. */
  @Column({ type: 'text', nullable: true }) request_id!: string | null;
}
