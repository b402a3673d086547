import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobRunEntity, type JobRunStatus } from './entities/job-run.entity';

type JobRun = JobRunEntity;

/** job_runs (TypeORM, no SQLite-only SQL), plus the read-only catalog scan of enrichtitles. */
@Injectable()
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private runs() {
    return this.dataSource.getRepository(JobRunEntity);
  }

  async insertRun(
    jobName: string,
    startedAt: Date,
    triggeredBy: string,
    params: string | null,
  ): Promise<JobRun> {
    return this.runs().save({
      job_name: jobName,
      started_at: startedAt,
      ended_at: null,
      status: 'running',
      detail: null,
      triggered_by: triggeredBy,
      params,
    });
  }

  /** Live progress: only while the row is still running. */
  async writeDetail(id: number, detail: string | null): Promise<void> {
    await this.runs().update({ id, status: 'running' }, { detail });
  }

  async finish(id: number, status: JobRunStatus, endedAt: Date, detail: string | null): Promise<void> {
    await this.runs().update({ id }, { status, ended_at: endedAt, detail });
  }

  /** Start-up: rows a previous process left running become interrupted. */
  async interruptRunning(now: Date): Promise<number> {
    const result = await this.runs().update({ status: 'running' }, { status: 'interrupted', ended_at: now });
    return result.affected ?? 0;
  }

  async get(id: number): Promise<JobRun | null> {
    return this.runs().findOneBy({ id });
  }

  /** Newest first (by start, then id). */
  async recent(jobName: string | undefined, limit: number): Promise<JobRun[]> {
    return this.runs().find({
      where: jobName ? { job_name: jobName } : {},
      order: { started_at: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** The newest run of each named job. */
  async lastRuns(names: readonly string[]): Promise<Map<string, JobRun>> {
    const out = new Map<string, JobRun>();
    for (const name of names) {
      const [row] = await this.recent(name, 1);
      if (row) out.set(name, row);
    }
    return out;
  }
}
