import { Logger } from '@nestjs/common';
import type { Client } from 'pg';

type Duty = () => Promise<void> | void;

/**
 * Which instance runs the periodic work (poller, presence, scheduler, reconciler, promo
 * director, catalog sync, clean-ups) and the work a start owes (recover unfinished purchases,
 * close what a dead process left running). Exactly one instance leads at a time.
 */
export abstract class Leadership {
  private readonly duties: { name: string; run: Duty }[] = [];
  protected readonly logger = new Logger('Leadership');

  abstract isLeader(): boolean;

  /**
   * `run` now when this instance leads, and again each time it takes over later (a follower
   * whose leader died owes the same start-up work). Awaited, so a start finishes its duties
   * before it serves.
   */
  async whenLeader(name: string, run: Duty): Promise<void> {
    this.duties.push({ name, run });
    if (this.isLeader()) await this.perform({ name, run });
  }

  protected async tookOver(): Promise<void> {
    for (const duty of this.duties) await this.perform(duty);
  }

  private async perform(duty: { name: string; run: Duty }): Promise<void> {
    try {
      await duty.run();
    } catch (err) {
      this.logger.error(`${duty.name} on taking the lead failed: ${(err as Error).message}`);
    }
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** SQLite (one process owns the file): this instance always leads. */
export class SoloLeadership extends Leadership {
  isLeader(): boolean {
    return true;
  }
}

/** The advisory lock key of the leader (any constant, the same in every instance). */
export const LEADER_LOCK_KEY = 0x77710002;
/** How often a follower tries to take the lead, and the leader checks it still holds it. */
export const LEADER_CHECK_MS = 1_000;

/**
 * PostgreSQL: the leader holds a session advisory lock on its own connection. When its process
 * dies, the server closes the connection and frees the lock, and the next follower to try (at
 * most LEADER_CHECK_MS later) leads. A leader whose connection breaks steps down at once.
 */
export class PostgresLeadership extends Leadership {
  private client: Client | null = null;
  private leading = false;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly instance: string,
  ) {
    super();
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The first try happens before the app serves, so a lone instance leads from its start. */
  override async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), LEADER_CHECK_MS);
    this.timer.unref();
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    this.leading = false;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  /** One try (tests call it to hand over at once). */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.checkOnce());
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await this.connection();
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        LEADER_LOCK_KEY,
      ]);
      if (!rows[0]?.ok) return;
      // The start-up duties (resume a fire, re-arm schedules, reconcile purchases) run before
      // the timers see this instance as the leader, so no tick races them.
      this.logger.log(`${this.instance} takes the lead`);
      await this.tookOver();
      this.leading = true;
    } catch (err) {
      this.lostConnection((err as Error).message);
    }
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    // Loaded on first use, as only an instance on PostgreSQL leads this way.
    const { Client: PgClient } = await import('pg');
    const client = new PgClient({ connectionString: this.url, application_name: 'webqueue-leader' });
    client.on('error', (err: Error) => this.lostConnection(err.message));
    await client.connect();
    this.client = client;
    return client;
  }

  private lostConnection(reason: string): void {
    if (this.leading) this.logger.warn(`${this.instance} stops leading: ${reason}`);
    this.leading = false;
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
  }
}
