import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns';

/** One promo decision of the director: what was inserted (or why a due slot got nothing) and how it was chosen. */
@Entity('promo_decisions')
@Index('idx_promo_decisions_at', ['at'])
export class PromoDecisionEntity {
  @PrimaryGeneratedColumn() id!: number;
  @TimestampColumn() at!: Date;
  /** `poll` | `pay`. */
  @Column({ type: 'text' }) source!: string;
  /** `lead_in:<uid>` | `general:<uid>`. */
  @Column({ type: 'text' }) slot!: string;
  /** The promo type, or `general` for a general slot that got no clip. */
  @Column({ type: 'text' }) promo_type!: string;
  @Column({ type: 'integer', nullable: true }) pool_id!: number | null;
  @Column({ type: 'text', nullable: true }) clip_key!: string | null;
  @Column({ type: 'text', nullable: true }) clip_title!: string | null;
  @Column({ type: 'integer' }) target_uid!: number;
  /** The inserted promo's CyTube uid, once known. */
  @Column({ type: 'integer', nullable: true }) uid!: number | null;
  @Column({ type: 'text' }) outcome!: string;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ type: 'integer', nullable: true }) seed!: number | null;
  @Column({ type: 'integer', default: 0 }) draws!: number;
  /** JSON: the choice record (candidates, weights, chances, exclusions). */
  @Column({ type: 'text' }) detail!: string;
}
