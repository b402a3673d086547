import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not, type Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { SpendRequestEntity, type SpendState } from './entities/spend-request.entity';
import type { LedgerRow } from './ledger.rules';

/** States of a saga that has not finished (settled by the reconciler). */
export const UNFINISHED_STATES: readonly SpendState[] = [
  'pending',
  'uncertain',
  'spent',
  'added',
  'positioned',
];
/** States in which the economy holds our money for a CyTube item that may still be refunded. */
export const REFUNDABLE_STATES: readonly SpendState[] = ['spent', 'added', 'positioned', 'recorded'];

export type NewSpendRequest = Pick<
  SpendRequestEntity,
  | 'request_id'
  | 'username'
  | 'friendly_token'
  | 'tier'
  | 'z_cost'
  | 'client_key'
  | 'title'
  | 'media_type'
  | 'media_id'
  | 'duration_sec'
>;

/** `create` refused a second row with a client_key already journaled (a double click that raced). */
export class DuplicateClientKeyError extends Error {
  constructor(readonly clientKey: string) {
    super(`client_key ${clientKey} is journaled already`);
  }
}

/** The pay-to-play saga journal (`spend_requests`, owned here; other modules call these methods). */
@Injectable()
export class SpendJournal {
  private readonly repo: Repository<SpendRequestEntity>;

  constructor(
    dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.repo = dataSource.getRepository(SpendRequestEntity);
  }

  /** Written BEFORE the spend call, in state `pending`. */
  async create(input: NewSpendRequest): Promise<SpendRequestEntity> {
    const now = this.clock.now();
    const row = this.repo.create({
      ...input,
      uid: null,
      created_at: now,
      updated_at: now,
      refunded: false,
      refunded_at: null,
      state: 'pending',
      refunded_z: null,
      refund_reason: null,
      error: null,
      removal_uid: null,
    });
    try {
      return await this.repo.save(row);
    } catch (err) {
      if (input.client_key && (await this.findByClientKey(input.client_key))) {
        throw new DuplicateClientKeyError(input.client_key);
      }
      throw err;
    }
  }

  /** Move a saga on (one UPDATE; the row object is patched too). */
  async advance(row: SpendRequestEntity, patch: Partial<SpendRequestEntity>): Promise<SpendRequestEntity> {
    const full = { ...patch, updated_at: this.clock.now() };
    await this.repo.update({ request_id: row.request_id }, full);
    return Object.assign(row, full);
  }

  find(requestId: string): Promise<SpendRequestEntity | null> {
    return this.repo.findOneBy({ request_id: requestId });
  }

  findByClientKey(clientKey: string): Promise<SpendRequestEntity | null> {
    return this.repo.findOneBy({ client_key: clientKey });
  }

  countUnfinished(): Promise<number> {
    return this.repo.count({ where: { state: In([...UNFINISHED_STATES]) } });
  }

  findUnfinished(): Promise<SpendRequestEntity[]> {
    return this.repo.find({ where: { state: In([...UNFINISHED_STATES]) }, order: { created_at: 'ASC' } });
  }

  /** Refunded rows whose CyTube item must still be seen leaving the channel. */
  findAwaitingRemoval(): Promise<SpendRequestEntity[]> {
    return this.repo.find({ where: { removal_uid: Not(IsNull()) }, order: { created_at: 'ASC' } });
  }

  /** What is not settled yet, for the ledger: unfinished sagas and items still to be removed. */
  findOpen(): Promise<SpendRequestEntity[]> {
    return this.repo.find({
      where: [{ state: In([...UNFINISHED_STATES]) }, { removal_uid: Not(IsNull()) }],
      order: { created_at: 'ASC' },
    });
  }

  /** The newest unrefunded spend behind a CyTube uid, if any. */
  findRefundableByUid(uid: number): Promise<SpendRequestEntity | null> {
    return this.repo.findOne({
      where: { uid, refunded: false, state: In([...REFUNDABLE_STATES]) },
      order: { created_at: 'DESC' },
    });
  }

  /** Every unrefunded recorded spend (admin clear refunds them all). */
  findRecordedUnrefunded(): Promise<SpendRequestEntity[]> {
    return this.repo.find({ where: { state: 'recorded', refunded: false }, order: { created_at: 'ASC' } });
  }

  /** Recorded, unrefunded spends marked with this error (refunds a fire still owes). */
  findRecordedUnrefundedWithError(error: string): Promise<SpendRequestEntity[]> {
    return this.repo.findBy({ state: 'recorded', refunded: false, error });
  }

  all(): Promise<SpendRequestEntity[]> {
    return this.repo.find({ order: { created_at: 'ASC' } });
  }

  /** The ledger's rows, all viewers' or one viewer's. */
  ledgerRows(username?: string): Promise<LedgerRow[]> {
    return this.repo.find({
      select: {
        username: true,
        state: true,
        z_cost: true,
        refunded: true,
        refunded_z: true,
        refund_reason: true,
      },
      ...(username ? { where: { username } } : {}),
    });
  }
}
