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
  /** Marks this job's runs still `running` as interrupted (their process is gone). */
  async interruptRunning(now: Date, jobName: string): Promise<number> {
    const result = await this.runs().update(
      { status: 'running', job_name: jobName },
      { status: 'interrupted', ended_at: now },
    );
    return result.affected ?? 0;
  }

  /** The names of jobs with a run marked `running`. */
  async runningJobNames(): Promise<string[]> {
    const rows = await this.runs()
      .createQueryBuilder('r')
      .select('DISTINCT r.job_name', 'name')
      .where('r.status = :status', { status: 'running' })
      .getRawMany<{ name: string }>();
    return rows.map((r) => r.name);
  }

  /** The newest run of this job marked `running` (perhaps in another instance). */
  runningRun(jobName: string): Promise<JobRun | null> {
    return this.runs().findOne({ where: { job_name: jobName, status: 'running' }, order: { id: 'DESC' } });
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
