import { DataSource } from 'typeorm';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { SpendRequestEntity } from '../../../src/economy/entities/spend-request.entity';
import { SagaHooks, SagaInterrupted, type SagaPoint } from '../../../src/pay/pay-saga.hooks';
import { ReadBackPolicy } from '../../../src/queue/read-back.policy';
import { StatePoller } from '../../../src/queue/queue.poller';
import type { EconomyConfig } from '../../../sim/world/economy';
import type { SimItem } from '../../../sim/world/channel';
import { startWorld, type World } from '../../support/world';

/**
 * Pay-to-play test world: the simulator (manual clock) + the whole app on a real SQLite copy,
 * with saga hooks that crash on demand, and read-backs whose waits are simulator flushes.
 */
export class TestSagaHooks extends SagaHooks {
  crashAt: SagaPoint | null = null;

  override after(point: SagaPoint): Promise<void> {
    if (point === this.crashAt) throw new SagaInterrupted(point);
    return Promise.resolve();
  }
}

/** Fewer read-backs, and each wait applies the simulator's pending commands instead of sleeping. */
export class TestReadBackPolicy extends ReadBackPolicy {
  override readonly confirmAttempts = 3;
  override readonly lateAddAttempts = 3;
  flush: () => Promise<unknown> = () => Promise.resolve();

  override async wait(): Promise<void> {
    await this.flush();
  }
}

export interface CatalogRow {
  token: string;
  title: string;
  duration: number;
  manifest: string;
}

export interface PayWorld extends World {
  hooks: TestSagaHooks;
  readBack: TestReadBackPolicy;
  items: CatalogRow[];
  /** Run a state poll so the shadow mirrors the simulator. */
  poll(): Promise<unknown>;
  journal(): Promise<SpendRequestEntity[]>;
  playlist(): Promise<SimItem[]>;
}

/** The world of the money tests: no cooldown, a high daily limit, crashable saga hooks, `boss` an admin. */
export async function startPayWorld(
  options: { economy?: Partial<EconomyConfig>; seed?: number } = {},
): Promise<PayWorld> {
  const hooks = new TestSagaHooks();
  const readBack = new TestReadBackPolicy();
  const base = await startWorld({
    seed: options.seed ?? 7,
    catalogSize: 160,
    economy: { queue_cooldown_minutes: 0, max_queues_per_day: 1000, ...options.economy },
    users: [{ name: 'boss', rank: 3 }],
    override: (b) =>
      b.overrideProvider(SagaHooks).useValue(hooks).overrideProvider(ReadBackPolicy).useValue(readBack),
  });
  readBack.flush = () => base.ctl.flush();
  const sim = base.sim;
  const items = sim.world.mediacms
    .all()
    .filter((i) => i.duration > 0 && i.state === 'public' && i.encoding_status === 'success')
    .map((i) => ({
      token: i.friendly_token,
      title: i.title,
      duration: i.duration,
      manifest: `${sim.url}/api/v1/media/cytube/${i.friendly_token}.json?format=json`,
    }));
  const restartApp = base.restart;
  const world: PayWorld = Object.assign(base, {
    hooks,
    readBack,
    items,
    restart: async () => {
      hooks.crashAt = null;
      await restartApp();
    },
    poll: () => world.t.get(StatePoller).tick(),
    journal: () =>
      world.t
        .get(DataSource)
        .getRepository(SpendRequestEntity)
        .find({ order: { created_at: 'ASC' } }),
    playlist: async () => (await base.ctl.state()).playlist,
  });
  await world.t
    .get(DataSource)
    .getRepository(CatalogItemEntity)
    .insert(
      items.map((i) => ({
        friendly_token: i.token,
        title: i.title,
        description: null,
        duration_sec: i.duration,
        manifest_url: i.manifest,
        thumbnail_url: null,
        cover_art_path: null,
        cover_art_source: null,
        added_at: null,
        updated_at: null,
        synced_at: null,
        gone_at: null,
      })),
    );
  return world;
}

/** Someone else queues free items (the first one starts playing). Returns their uids. */
export async function seedFreeItems(w: PayWorld, rows: CatalogRow[]): Promise<number[]> {
  const uids: number[] = [];
  for (const row of rows) {
    uids.push((await w.ctl.queueAsOther({ token: row.token, queueby: 'SomeoneElse' })).uid);
  }
  return uids;
}

/** The sum of a user's economy transactions by kind, straight from the simulator. */
export async function economyTotals(
  w: PayWorld,
  username: string,
): Promise<{ spent: number; refunded: number; balance: number }> {
  const res = await fetch(
    `${w.sim.url}/api/v1/economy/transactions/${encodeURIComponent(username)}?limit=100`,
    {
      headers: { authorization: `Bearer ${w.sim.apiToken}` },
    },
  );
  const body = (await res.json()) as { transactions: { amount: number; type: string }[] };
  const spent = -body.transactions.filter((t) => t.type === 'spend').reduce((a, t) => a + t.amount, 0);
  const refunded = body.transactions.filter((t) => t.type === 'refund').reduce((a, t) => a + t.amount, 0);
  const balance = (await w.ctl.state()).balances[username] ?? 0;
  return { spent, refunded, balance };
}

/**
 * The money invariant: every Z the economy took from `users` is either refunded or behind a
 * recorded journal row whose item is in the live playlist (or played). Returns the orphans:
 * bot-queued playlist items no recorded spend or admin insert explains.
 */
export async function moneyCheck(
  w: PayWorld,
  users: string[],
  /** Bot items that are legitimately free (admin inserts). */
  free: number[] = [],
): Promise<{ lost: number; orphans: number[]; delivered: number }> {
  const rows = await w.journal();
  let lost = 0;
  let delivered = 0;
  for (const user of users) {
    const totals = await economyTotals(w, user);
    const mine = rows.filter((r) => r.username === user && r.state === 'recorded');
    const kept = mine.reduce((a, r) => a + (r.z_cost ?? 0), 0);
    delivered += kept;
    lost += totals.spent - totals.refunded - kept;
  }
  const recorded = new Set([...rows.filter((r) => r.state === 'recorded').map((r) => r.uid), ...free]);
  const playlist = await w.playlist();
  const orphans = playlist
    .filter((p) => p.queueby !== 'SomeoneElse' && !recorded.has(p.uid))
    .map((p) => p.uid);
  return { lost, orphans, delivered };
}
