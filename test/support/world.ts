import type { TestingModuleBuilder } from '@nestjs/testing';
import { Clock, ManualClock } from '../../src/common/clock';
import type { AppConfig } from '../../src/config/app-config';
import { startSimulator, type RunningSimulator } from '../../sim/server';
import { SimControl } from '../../sim/sim-control';
import type { EconomyConfig } from '../../sim/world/economy';
import { createTestApp, type TestApp, type TestAppOptions } from './app';
import { sessionCookieFor } from './auth';
import request from './http';
import { simOverrides, testConfig } from './config';

export interface WorldOptions {
  seed?: number;
  catalogSize?: number;
  /** The simulated economy's switches (cooldown, daily limit, …). */
  economy?: Partial<EconomyConfig>;
  /** Config keys beside the ones that point the app at the simulator (or built from its URL). */
  config?: Record<string, unknown> | ((sim: { url: string }) => Record<string, unknown>);
  /** Simulator users to add before the app starts (a channel admin is `{ name, rank: 3 }`). */
  users?: Parameters<SimControl['addUser']>[0][];
  /** The app's manual clock starts here (default 2026-06-14 12:00 UTC). */
  startMs?: number;
  /** More provider overrides (the clock is always replaced by the world's ManualClock). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  imports?: TestAppOptions['imports'];
}

/**
 * One test world: the simulator on a manual clock (api-gate, the economy and MediaCMS over
 * loopback HTTP), and the whole app on a fresh SQLite copy with a ManualClock and no timers.
 */
export interface World {
  sim: RunningSimulator;
  ctl: SimControl;
  t: TestApp;
  config: AppConfig;
  clock: ManualClock;
  /** supertest against the app, with the Origin a browser would send. */
  http(): ReturnType<typeof request>;
  /** A session cookie at the world's clock. */
  cookie(name: string, rank?: number): string;
  /** A new app on the same database file and simulator (start-up work runs again). */
  restart(): Promise<void>;
  /** The same, with some config keys changed. */
  restartWith(overrides: Partial<AppConfig>): Promise<void>;
  close(): Promise<void>;
}

export const WORLD_START_MS = Date.UTC(2026, 5, 14, 12, 0, 0);

/** The outside world alone: the simulator (manual clock), its control client, the app's clock. */
export async function startSimWorld(
  options: Pick<WorldOptions, 'seed' | 'catalogSize' | 'economy' | 'users' | 'startMs'> = {},
): Promise<{ sim: RunningSimulator; ctl: SimControl; clock: ManualClock }> {
  const sim = await startSimulator({
    port: 0,
    seed: options.seed ?? 7,
    clock: 'manual',
    catalogSize: options.catalogSize ?? 160,
    world: options.economy ? { economy: options.economy } : undefined,
  });
  const ctl = new SimControl(sim.url);
  for (const user of options.users ?? []) await ctl.addUser(user);
  return { sim, ctl, clock: new ManualClock(options.startMs ?? WORLD_START_MS) };
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const { sim, ctl, clock } = await startSimWorld(options);
  const extra = typeof options.config === 'function' ? options.config(sim) : options.config;
  let config = testConfig({ ...simOverrides(sim), ...extra });
  const boot = (): Promise<TestApp> =>
    createTestApp({
      config,
      imports: options.imports,
      override: (b) => {
        const withClock = b.overrideProvider(Clock).useValue(clock);
        return options.override ? options.override(withClock) : withClock;
      },
    });
  const world: World = {
    sim,
    ctl,
    config,
    clock,
    t: await boot(),
    http: () => request(world.t.app.getHttpServer()),
    cookie: (name, rank = 1) => sessionCookieFor(world.t, name, rank, clock.nowMs()),
    restart: async () => {
      await world.t.close();
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
    close: async () => {
      await world.t.close();
      await sim.close();
    },
  };
  return world;
}
