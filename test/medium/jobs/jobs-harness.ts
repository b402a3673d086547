import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Test as HttpTest } from 'supertest';
import { DataSource } from 'typeorm';
import { InstantSleeper, Sleeper } from '../../../src/common/sleeper';
import { JobRunEntity } from '../../../src/jobs/entities/job-run.entity';
import { JobManager, JobsOptions } from '../../../src/jobs/jobs.service';
import { ToolLocator } from '../../../src/jobs/tool-locator';
import { type JobRunEvent, LiveEvent } from '../../../src/live/live.events';
import { startWorld, type World } from '../../support/world';

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

export interface JobsWorld extends World {
  tools: FakeTools;
  /** Pacing and back-off waits, recorded (nothing really sleeps). */
  sleeper: InstantSleeper;
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
}

/** The whole app on a fresh SQLite copy against the simulator, manual clock, fake tools. */
export async function startJobsWorld(
  options: {
    configOverrides?: Record<string, unknown> | ((sim: { url: string }) => Record<string, unknown>);
    progressGapMs?: number;
    catalogSize?: number;
  } = {},
): Promise<JobsWorld> {
  const tools = new FakeTools();
  const sleeper = new InstantSleeper();
  const jobsOptions = Object.assign(new JobsOptions(), { progressGapMs: options.progressGapMs ?? 1000 });
  const base = await startWorld({
    seed: 11,
    catalogSize: options.catalogSize ?? 30,
    users: [{ name: 'boss', rank: 3 }],
    config: options.configOverrides,
    override: (b) =>
      b
        .overrideProvider(ToolLocator)
        .useValue(tools)
        .overrideProvider(JobsOptions)
        .useValue(jobsOptions)
        .overrideProvider(Sleeper)
        .useValue(sleeper),
  });
  const events: JobRunEvent[] = [];
  const listen = (): void => {
    base.t.get(EventEmitter2).on(LiveEvent.JobRun, (e: JobRunEvent) => events.push(e));
  };
  const restartApp = base.restart;
  const world = Object.assign(base, {
    tools,
    sleeper,
    events,
    admin: base.cookie('boss', 3),
    api: () => ({
      get: (url: string) => base.http().get(url).set('Cookie', world.admin).set('Accept', 'application/json'),
      post: (url: string, body?: string | object) => {
        const req = base.http().post(url).set('Cookie', world.admin);
        return body === undefined ? req : req.send(body);
      },
    }),
    row: async (id: number) => base.t.get(DataSource).getRepository(JobRunEntity).findOneByOrFail({ id }),
    restart: async () => {
      await restartApp();
      listen();
    },
  });
  // getters, not values: a restart replaces the app (Object.assign would copy them once)
  Object.defineProperties(world as JobsWorld, {
    jobs: { get: () => base.t.get(JobManager) },
    db: { get: () => base.t.get(DataSource) },
  });
  listen();
  return world as JobsWorld;
}
