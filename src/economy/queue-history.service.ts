import { Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { QueueHistoryEntity } from './entities/queue-history.entity';

export interface NewHistoryRow {
  username: string;
  friendly_token: string | null;
  title: string | null;
  tier: string;
  z_cost: number;
  request_id: string | null;
  uid: number | null;
}

/** What each viewer queued and what became of it (`queue_history`, owned here; others call these methods). */
@Injectable()
export class QueueHistory {
  private readonly repo: Repository<QueueHistoryEntity>;

  constructor(
    dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.repo = dataSource.getRepository(QueueHistoryEntity);
  }

  async insert(input: NewHistoryRow): Promise<void> {
    const now = this.clock.now();
    await this.repo.insert({
      ...input,
      queued_at: now,
      updated_at: now,
      status: 'queued',
      refund_reason: null,
    });
  }

  /** Insert unless a row for the same request_id exists (the reconciler may record twice). */
  async insertOnce(input: NewHistoryRow): Promise<void> {
    if (input.request_id !== null && (await this.repo.existsBy({ request_id: input.request_id }))) return;
    await this.insert(input);
  }

  async markRefunded(requestId: string, reason: string): Promise<void> {
    await this.repo.update(
      { request_id: requestId },
      { status: 'refunded', refund_reason: reason, updated_at: this.clock.now() },
    );
  }

  /** Queued items that started playing. Returns how many rows changed. */
  async markPlayed(uids: readonly number[]): Promise<number> {
    if (uids.length === 0) return 0;
    const result = await this.repo.update(
      { uid: In([...uids]), status: 'queued' },
      { status: 'played', updated_at: this.clock.now() },
    );
    return result.affected ?? 0;
  }

  /** A free (admin) item an admin removed before it played. */
  async markRemoved(uid: number): Promise<void> {
    await this.repo.update({ uid, status: 'queued' }, { status: 'removed', updated_at: this.clock.now() });
  }

  /** uids still `queued` (candidates for `played`). */
  async queuedUids(): Promise<number[]> {
    const rows = await this.repo.find({ select: { uid: true }, where: { status: 'queued' } });
    return rows.map((r) => r.uid).filter((uid): uid is number => uid !== null);
  }

  async page(
    username: string,
    limit: number,
    offset: number,
  ): Promise<{ items: QueueHistoryEntity[]; total: number }> {
    const [items, total] = await this.repo.findAndCount({
      where: { username },
      order: { queued_at: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }
}
