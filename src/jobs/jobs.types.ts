import type { RunProgress } from './run-report.rules';
import type { JobParamField, JobParams } from './jobs.rules';

/** What a running job gets. */
export interface JobContext {
  params: JobParams;
  runId: number;
  triggeredBy: string;
  /**
   * Writes `detail` to the running row (throttled: at most one write per gap, the latest value
   * wins) and tells the admin room. Best effort: resolves once written, never rejects.
   */
  progress(detail: unknown): Promise<void>;
  /** Aborted by `POST /admin/jobs/:name/cancel` and at shutdown; long jobs check it. */
  signal: AbortSignal;
}

/** A registered job: `registerJob()` on the JobManager. */
export interface JobDefinition {
  name: string;
  label: string;
  schema: readonly JobParamField[];
  /** false for jobs that cannot stop part-way: cancel answers 409 `not_cancellable`. */
  cancellable?: boolean;
  /** Busy outside the manager (e.g. the catalog's interval sync): a start answers 409. */
  busy?(): boolean;
  /** The result becomes the run's detail; throw JobError for an expected failure. */
  run(ctx: JobContext): Promise<unknown>;
}

/** A job_runs row as the API returns it (JSON columns parsed, plus the dashboard summary). */
export interface JobRunView {
  id: number;
  job_name: string;
  started_at: Date;
  ended_at: Date | null;
  status: string;
  detail: unknown;
  triggered_by: string | null;
  params: unknown;
  /** The result in words (or the live phase of a running run). */
  summary: string;
  /** A running run's phase and percentage, for the progress bar. */
  progress: RunProgress | null;
  /** The failures a completed run listed, in words. */
  failures: string[];
}

export interface JobListEntry {
  name: string;
  label: string;
  running: boolean;
  cancellable: boolean;
  schema: JobParamField[];
  last_run: JobRunView | null;
}
