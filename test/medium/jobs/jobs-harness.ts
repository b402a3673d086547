import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Test as HttpTest } from 'supertest';
import request from '../../support/http';
import { DataSource } from 'typeorm';
import { Clock, ManualClock } from '../../../src/common/clock';
import type { AppConfig } from '../../../src/config/app-config';
import { JobRunEntity } from '../../../src/jobs/entities/job-run.entity';
import { JobManager, JobsOptions } from '../../../src/jobs/jobs.service';
import { ToolLocator } from '../../../src/jobs/tool-locator';
import { type JobRunEvent, LiveEvent } from '../../../src/live/live.events';
import { startSimulator, type RunningSimulator } from '../../../sim/server';
import { SimControl } from '../../../sim/sim-control';
import { createTestApp, type TestApp } from '../../support/app';
import { sessionCookieFor } from '../../support/auth';
import { simOverrides, testConfig } from '../../support/config';

/** Tools as a test wants them: nothing on PATH unless listed, files only if listed. */
export class FakeTools extends ToolLocator {
  commands = new Set<string>();
  files = new Set<string>();
  override which(command: string): string | null {
    return this.commands.has(command) ? `/usr/bin/${command}` : null;
  }
  override fileExists(path: string): boolean {
    return this.files.has(path);
  }
}

/** A promise with its resolve at hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export interface JobsWorld {
  sim: RunningSimulator;
  ctl: SimControl;
  t: TestApp;
  config: AppConfig;
  clock: ManualClock;
  tools: FakeTools;
  jobs: JobManager;
  db: DataSource;
  admin: string;
  /** Every job_run event the live service would forward to the admin room. */
  events: JobRunEvent[];
  api(): {
    get(url: string): HttpTest;
    post(url: string, body?: string | object): HttpTest;
  };
  row(id: number): Promise<JobRunEntity>;
  /** Restart the app on the same database (a new process). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The whole app on a fresh SQLite copy against the simulator, manual clock, fake tools. */
export async function startJobsWorld(
  options: { configOverrides?: Record<string, unknown>; progressGapMs?: number } = {},
): Promise<JobsWorld> {
  const sim = await startSimulator({ port: 0, seed: 11, clock: 'manual', catalogSize: 30 });
  const ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'boss', rank: 3 });
  const clock = new ManualClock(Date.UTC(2026, 5, 14, 12, 0, 0));
  const tools = new FakeTools();
  const config = testConfig({
    ...simOverrides(sim),
    ...options.configOverrides,
  });
  const jobsOptions = Object.assign(new JobsOptions(), { progressGapMs: options.progressGapMs ?? 1000 });
  const boot = (): Promise<TestApp> =>
    createTestApp({
      config,
      override: (b) =>
        b
          .overrideProvider(Clock)
          .useValue(clock)
          .overrideProvider(ToolLocator)
          .useValue(tools)
          .overrideProvider(JobsOptions)
          .useValue(jobsOptions),
    });
  const events: JobRunEvent[] = [];
  const world: JobsWorld = {
    sim,
    ctl,
    t: await boot(),
    config,
    clock,
    tools,
    events,
    get jobs() {
      return world.t.get(JobManager);
    },
    get db() {
      return world.t.get(DataSource);
    },
    admin: '',
    api: () => ({
      get: (url) =>
        request(world.t.app.getHttpServer())
          .get(url)
          .set('Cookie', world.admin)
          .set('Accept', 'application/json'),
      post: (url, body) => {
        const req = request(world.t.app.getHttpServer()).post(url).set('Cookie', world.admin);
        return body === undefined ? req : req.send(body);
      },
    }),
    row: async (id) => world.db.getRepository(JobRunEntity).findOneByOrFail({ id }),
    restart: async () => {
      await world.t.close();
      world.t = await boot();
      listen();
    },
    close: async () => {
      await world.t.close();
      await sim.close();
    },
  };
  const listen = (): void => {
    world.t.get(EventEmitter2).on(LiveEvent.JobRun, (e: JobRunEvent) => events.push(e));
  };
  listen();
  world.admin = sessionCookieFor(world.t, 'boss', 3, clock.nowMs());
  return world;
}
