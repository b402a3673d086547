import { DataSource } from 'typeorm';
import request from '../../support/http';
import { Clock, ManualClock } from '../../../src/common/clock';
import type { AppConfig } from '../../../src/config/app-config';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { SpendRequestEntity } from '../../../src/economy/entities/spend-request.entity';
import { SagaHooks, SagaInterrupted, type SagaPoint } from '../../../src/pay/pay-saga.hooks';
import { ReadBackPolicy } from '../../../src/queue/read-back.policy';
import { StatePoller } from '../../../src/queue/queue.poller';
import { startSimulator, type RunningSimulator } from '../../../sim/server';
import { SimControl } from '../../../sim/sim-control';
import type { EconomyConfig } from '../../../sim/world/economy';
import type { SimItem } from '../../../sim/world/channel';
import { createTestApp, type TestApp } from '../../support/app';
import { sessionCookieFor } from '../../support/auth';
import { simOverrides, testConfig } from '../../support/config';

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

export interface PayWorld {
  sim: RunningSimulator;
  ctl: SimControl;
  t: TestApp;
  config: AppConfig;
  clock: ManualClock;
  hooks: TestSagaHooks;
  readBack: TestReadBackPolicy;
  items: CatalogRow[];
  http(): ReturnType<typeof request>;
  /** A session cookie; `boss` is a channel admin (rank 3) in the simulator. */
  cookie(name: string, rank?: number): string;
  /** A new Nest app on the same DB file and the same simulator (start-up reconcile runs). */
  restart(): Promise<void>;
  /** The same, with some config keys changed. */
  restartWith(overrides: Partial<AppConfig>): Promise<void>;
  /** Run a state poll so the shadow mirrors the simulator. */
  poll(): Promise<unknown>;
  journal(): Promise<SpendRequestEntity[]>;
  playlist(): Promise<SimItem[]>;
  close(): Promise<void>;
}

export async function startPayWorld(
  options: { economy?: Partial<EconomyConfig>; seed?: number } = {},
): Promise<PayWorld> {
  const sim = await startSimulator({
    port: 0,
    seed: options.seed ?? 7,
    clock: 'manual',
    catalogSize: 160,
    world: { economy: { queue_cooldown_minutes: 0, max_queues_per_day: 1000, ...options.economy } },
  });
  const ctl = new SimControl(sim.url);
  let config = testConfig(simOverrides(sim));
  const clock = new ManualClock(Date.UTC(2026, 5, 14, 12, 0, 0));
  const hooks = new TestSagaHooks();
  const readBack = new TestReadBackPolicy();
  readBack.flush = () => ctl.flush();
  const boot = (): Promise<TestApp> =>
    createTestApp({
      config,
      override: (b) =>
        b
          .overrideProvider(Clock)
          .useValue(clock)
          .overrideProvider(SagaHooks)
          .useValue(hooks)
          .overrideProvider(ReadBackPolicy)
          .useValue(readBack),
    });
  const items = sim.world.mediacms
    .all()
    .filter((i) => i.duration > 0 && i.state === 'public' && i.encoding_status === 'success')
    .map((i) => ({
      token: i.friendly_token,
      title: i.title,
      duration: i.duration,
      manifest: `${sim.url}/api/v1/media/cytube/${i.friendly_token}.json?format=json`,
    }));
  const world: PayWorld = {
    sim,
    ctl,
    config,
    clock,
    hooks,
    readBack,
    items,
    t: await boot(),
    http: () => request(world.t.app.getHttpServer()),
    cookie: (name, rank = 1) => sessionCookieFor(world.t, name, rank, clock.nowMs()),
    restart: async () => {
      await world.t.close();
      hooks.crashAt = null;
      world.t = await boot();
    },
    restartWith: async (overrides) => {
      config = Object.assign(
        Object.create(Object.getPrototypeOf(config) as object) as AppConfig,
        config,
        overrides,
      );
      world.config = config;
      await world.restart();
    },
    poll: () => world.t.get(StatePoller).tick(),
    journal: () =>
      world.t
        .get(DataSource)
        .getRepository(SpendRequestEntity)
        .find({ order: { created_at: 'ASC' } }),
    playlist: async () => (await ctl.state()).playlist,
    close: async () => {
      await world.t.close();
      await sim.close();
    },
  };
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
  await ctl.addUser({ name: 'boss', rank: 3 });
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
