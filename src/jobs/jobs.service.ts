import { ClusterBus } from '../cluster/cluster-bus';
import { Leadership } from '../cluster/leadership';
import { SharedLock } from '../cluster/shared-lock';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { type JobRunEvent, LiveEvent } from '../live/live.events';
import { PlaylistsService } from '../playlists/playlists.service';
import { type JobRunEntity, type JobRunStatus } from './entities/job-run.entity';
import {
  JobAlreadyRunningException,
  JobError,
  JobNotCancellableException,
  JobNotRunningException,
  JobParamsException,
  UnknownJobException,
} from './jobs.exception';
import { JobsRepository } from './jobs.repository';
import {
  failureMessage,
  type JobParamField,
  parseStoredJson,
  progressDelay,
  validateParams,
} from './jobs.rules';
import type { JobContext, JobDefinition, JobListEntry, JobRunView } from './jobs.types';
import { runReport } from './run-report.rules';

/** Tunables (tests override the provider). */
export class JobsOptions {
  /** At most one progress write per job run in this many ms (the latest value wins). */
  progressGapMs = 1000;
  /** How long shutdown waits for running jobs after aborting them. */
  shutdownWaitMs = 5000;
}

interface RunningJob {
  runId: number;
  controller: AbortController;
  done: Promise<void>;
  /** The job's shared lock (single flight across instances), released when the run is recorded. */
  release: () => Promise<void>;
}

/** The shared-lock name that makes a job single-flight across instances. */
export const jobLockName = (name: string): string => `job:${name}`;
/** The bus channel on which a cancel reaches the instance that runs the job. */
const CANCEL_CHANNEL = 'jobs.cancel';

interface ProgressState {
  lastWriteMs: number | null;
  pending: { detail: unknown; resolvers: (() => void)[] } | null;
  timer: NodeJS.Timeout | null;
  chain: Promise<void>;
  closed: boolean;
}

export interface StartResult {
  success: true;
  started: true;
  run_id: number;
}

export function toRunView(row: JobRunEntity): JobRunView {
  const detail = parseStoredJson(row.detail);
  return {
    id: row.id,
    job_name: row.job_name,
    started_at: row.started_at,
    ended_at: row.ended_at,
    status: row.status,
    detail,
    triggered_by: row.triggered_by,
    params: parseStoredJson(row.params),
    ...runReport(row.job_name, row.status, detail),
  };
}

/**
 * The job manager: an in-memory registry that feature
 * code fills with `registerJob()`, per-job single-flight, params validated against the job's
 * schema, one `job_runs` row per run with live (throttled) progress, cooperative cancel through
 * an AbortSignal, and rows left `running` by a previous process marked `interrupted` at start-up.
 */
@Injectable()
export class JobManager implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly jobs = new Map<string, JobDefinition>();
  /** Job name → the run in flight. A name is reserved before the row insert (no double start). */
  private readonly running = new Map<string, RunningJob | 'starting'>();

  constructor(
    private readonly repo: JobsRepository,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly options: JobsOptions,
    private readonly playlists: PlaylistsService,
    private readonly locks: SharedLock,
    private readonly leadership: Leadership,
    private readonly bus: ClusterBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(CANCEL_CHANNEL, (payload) => {
      const name = (payload as { name?: unknown }).name;
      const r = typeof name === 'string' ? this.running.get(name) : undefined;
      if (r && r !== 'starting') r.controller.abort(new Error('cancelled by an admin'));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.whenLeader('close interrupted job runs', async () => {
      const n = await this.interruptOrphans();
      if (n > 0) this.logger.warn(`marked ${n} job run(s) left running by a previous process as interrupted`);
    });
  }

  /** Runs marked running whose job nobody holds (its process died) end as interrupted. */
  private async interruptOrphans(): Promise<number> {
    let n = 0;
    for (const name of await this.repo.runningJobNames()) {
      const orphaned = await this.locks.tryExclusive(jobLockName(name), () =>
        this.repo.interruptRunning(this.clock.now(), name),
      );
      n += orphaned?.value ?? 0;
    }
    return n;
  }

  /** Shutdown: abort every run and wait a little for them to record how they ended. */
  async onModuleDestroy(): Promise<void> {
    const runs = [...this.running.values()].filter((r): r is RunningJob => r !== 'starting');
    if (runs.length === 0) return;
    for (const r of runs) r.controller.abort(new Error('server shutting down'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.shutdownWaitMs);
      timer.unref();
    });
    await Promise.race([Promise.all(runs.map((r) => r.done)), timeout]);
    clearTimeout(timer);
  }

  registerJob(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    this.jobs.set(job.name, job);
  }

  /** @throws UnknownJobException */
  get(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job) throw new UnknownJobException(name);
    return job;
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  isRunning(name: string): boolean {
    return this.running.has(name) || (this.jobs.get(name)?.busy?.() ?? false);
  }

  /** The run in flight for this job, if the manager started it. */
  runningRunId(name: string): number | null {
    const r = this.running.get(name);
    return r && r !== 'starting' ? r.runId : null;
  }

  /** Resolves when the run has been recorded as finished (tests, shutdown). */
  async waitForRun(runId: number): Promise<void> {
    for (const r of this.running.values()) if (r !== 'starting' && r.runId === runId) await r.done;
  }

  /**
   * Starts a run in the background: 404 unknown, 409 already running, 400 invalid params;
   * otherwise the `running` row is written and `{success, started, run_id}` returned at once.
   */
  async start(name: string, triggeredBy: string, rawParams: Record<string, unknown>): Promise<StartResult> {
    const job = this.get(name);
    if (this.isRunning(name)) throw new JobAlreadyRunningException(name);
    const check = validateParams(job.schema, rawParams);
    if (!check.ok) throw new JobParamsException(check.message, check.errors);
    this.running.set(name, 'starting');
    const hold = await this.locks.tryHold(jobLockName(name)).catch((err: unknown) => {
      this.running.delete(name);
      throw err;
    });
    if (!hold) {
      // Another instance runs it.
      this.running.delete(name);
      throw new JobAlreadyRunningException(name);
    }
    let row: JobRunEntity;
    try {
      const paramsJson = Object.keys(check.params).length > 0 ? JSON.stringify(check.params) : null;
      row = await this.repo.insertRun(name, this.clock.now(), triggeredBy, paramsJson);
    } catch (err) {
      this.running.delete(name);
      await hold.release();
      throw err;
    }
    const controller = new AbortController();
    const ctx = this.context(row, controller.signal);
    const entry: RunningJob = { runId: row.id, controller, done: Promise.resolve(), release: hold.release };
    this.running.set(name, entry);
    this.emit(row);
    this.logger.log(`job ${name} #${row.id} started by ${triggeredBy}`);
    // execute() calls job.run synchronously, so the work has begun when this returns.
    entry.done = this.execute(job, row, ctx.ctx, ctx.progress, controller.signal);
    return { success: true, started: true, run_id: row.id };
  }

  /** Cooperative cancel: aborts the run's signal; the run records `cancelled` when it stops. */
  async cancel(name: string): Promise<{ success: true; cancelling: true; run_id: number }> {
    const job = this.get(name);
    const r = this.running.get(name);
    if (r && r !== 'starting') {
      if (job.cancellable === false) throw new JobNotCancellableException(name);
      r.controller.abort(new Error('cancelled by an admin'));
      return { success: true, cancelling: true, run_id: r.runId };
    }
    // Perhaps another instance runs it: tell them all; the one that runs it stops.
    const elsewhere = this.bus.shared ? await this.repo.runningRun(name) : null;
    if (!elsewhere) throw new JobNotRunningException(name);
    if (job.cancellable === false) throw new JobNotCancellableException(name);
    this.bus.publish(CANCEL_CHANNEL, { name });
    return { success: true, cancelling: true, run_id: elsewhere.id };
  }

  /** `GET /admin/jobs`: every job with its state, schema and newest run. */
  async list(): Promise<JobListEntry[]> {
    const last = await this.lastRuns();
    const playlists = await this.playlistOptions();
    return this.names().map((name) => {
      const job = this.get(name);
      return {
        name,
        label: job.label,
        running: this.isRunning(name),
        cancellable: job.cancellable !== false,
        schema: this.withOptions(job.schema, playlists),
        last_run: last.get(name) ?? null,
      };
    });
  }

  /** `GET /admin/jobs/:name/schema`; playlist fields list the saved playlists as options. */
  async schema(name: string): Promise<{ name: string; schema: JobParamField[] }> {
    const job = this.get(name);
    return { name, schema: this.withOptions(job.schema, await this.playlistOptions()) };
  }

  private async playlistOptions(): Promise<{ value: number; label: string }[]> {
    return (await this.playlists.list()).map((p) => ({ value: p.id, label: p.name }));
  }

  private withOptions(
    schema: readonly JobParamField[],
    playlists: { value: number; label: string }[],
  ): JobParamField[] {
    return schema.map((f) => (f.type === 'playlist' ? { ...f, options: playlists } : { ...f }));
  }

  async runs(jobName: string | undefined, limit: number): Promise<JobRunView[]> {
    return (await this.repo.recent(jobName, limit)).map(toRunView);
  }

  async lastRuns(): Promise<Map<string, JobRunView>> {
    const rows = await this.repo.lastRuns(this.names());
    return new Map([...rows].map(([k, v]) => [k, toRunView(v)]));
  }

  private context(row: JobRunEntity, signal: AbortSignal): { ctx: JobContext; progress: ProgressState } {
    const state: ProgressState = {
      lastWriteMs: null,
      pending: null,
      timer: null,
      chain: Promise.resolve(),
      closed: false,
    };
    const ctx: JobContext = {
      params: (parseStoredJson(row.params) as JobContext['params'] | null) ?? {},
      runId: row.id,
      triggeredBy: row.triggered_by ?? '',
      signal,
      progress: (detail) => this.progress(row, state, detail),
    };
    return { ctx, progress: state };
  }

  private progress(row: JobRunEntity, state: ProgressState, detail: unknown): Promise<void> {
    if (state.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      if (state.pending) {
        state.pending.detail = detail;
        state.pending.resolvers.push(resolve);
      } else {
        state.pending = { detail, resolvers: [resolve] };
      }
      const wait = progressDelay(state.lastWriteMs, this.clock.nowMs(), this.options.progressGapMs);
      if (wait === 0) {
        this.flushProgress(row, state);
      } else if (!state.timer) {
        state.timer = setTimeout(() => {
          state.timer = null;
          this.flushProgress(row, state);
        }, wait);
        state.timer.unref();
      }
    });
  }

  private flushProgress(row: JobRunEntity, state: ProgressState): void {
    const pending = state.pending;
    if (!pending || state.closed) return;
    state.pending = null;
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    state.lastWriteMs = this.clock.nowMs();
    const text = JSON.stringify(pending.detail ?? null);
    state.chain = state.chain
      .then(async () => {
        if (state.closed) return;
        await this.repo.writeDetail(row.id, text);
        this.emit({ ...row, detail: text });
      })
      .catch((err: unknown) =>
        this.logger.warn(`job ${row.job_name} #${row.id}: progress write failed: ${String(err)}`),
      )
      .finally(() => pending.resolvers.forEach((r) => r()));
  }

  private async execute(
    job: JobDefinition,
    row: JobRunEntity,
    ctx: JobContext,
    progress: ProgressState,
    signal: AbortSignal,
  ): Promise<void> {
    let status: JobRunStatus;
    let detail: unknown;
    try {
      const result = await job.run(ctx);
      status = 'completed';
      detail = result ?? null;
    } catch (err) {
      if (signal.aborted) {
        status = 'cancelled';
        detail = null;
        this.logger.warn(`job ${job.name} #${row.id} cancelled`);
      } else if (err instanceof JobError) {
        status = 'failed';
        detail = { error: failureMessage(err, true) };
        this.logger.warn(`job ${job.name} #${row.id} failed: ${err.message}`);
      } else {
        status = 'failed';
        detail = { error: failureMessage(err, false) };
        this.logger.error(
          `job ${job.name} #${row.id} failed`,
          err instanceof Error ? err.stack : String(err),
        );
      }
    }
    // Progress still queued is superseded by the outcome; wait for a write in flight.
    progress.closed = true;
    if (progress.timer) clearTimeout(progress.timer);
    progress.pending?.resolvers.forEach((r) => r());
    progress.pending = null;
    await progress.chain;
    const endedAt = this.clock.now();
    const text = detail === null ? null : JSON.stringify(detail);
    try {
      await this.repo.finish(row.id, status, endedAt, text);
    } catch (err) {
      this.logger.error(
        `job ${job.name} #${row.id}: recording the outcome (${status}) failed: ${String(err)}`,
      );
    } finally {
      // The shared lock goes first, while the run still counts as running here: between the
      // delete and the event below nothing waits, so a waiter never misses the outcome.
      const entry = this.running.get(job.name);
      if (entry && entry !== 'starting') await entry.release().catch(() => undefined);
      this.running.delete(job.name);
    }
    this.emit({ ...row, status, ended_at: endedAt, detail: text });
    this.logger.log(`job ${job.name} #${row.id} ${status}`);
  }

  private emit(row: JobRunEntity): void {
    const view = toRunView(row);
    const event: JobRunEvent = {
      run_id: view.id,
      job_name: view.job_name,
      status: view.status,
      started_at: view.started_at.toISOString(),
      ended_at: view.ended_at ? view.ended_at.toISOString() : null,
      detail: view.detail,
      summary: view.summary,
      progress: view.progress,
      failures: view.failures,
    };
    this.events.emit(LiveEvent.JobRun, event);
  }
}
