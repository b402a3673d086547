import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CatalogAdminService } from '../catalog/catalog-admin.service';
import { CatalogService } from '../catalog/catalog.service';
import { EnrichMetadataJob } from './enrich/enrich-metadata.job';
import { EnrichTitlesJob } from './enrich/enrich-titles.job';
import { FetchJob } from './fetch/fetch.job';
import { FetchUrlsJob } from './fetchurls/fetchurls.job';
import { JobAlreadyRunningException, JobError } from './jobs.exception';
import { JOB_LABELS, JOB_SCHEMAS, type RegisteredJobName } from './jobs.schemas';
import { JobManager } from './jobs.service';
import type { JobContext, JobDefinition } from './jobs.types';

/**
 * The six background jobs, registered with the JobManager. `catalog_sync` runs the catalog's
 * own single-flight sync; the others live in their folders (enrich/, fetch/, fetchurls/). A job
 * that changed MediaCMS titles or descriptions starts a catalog sync so viewers see the change.
 */
@Injectable()
export class RegisteredJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobManager,
    private readonly catalog: CatalogService,
    private readonly catalogAdmin: CatalogAdminService,
    private readonly enrichTitles: EnrichTitlesJob,
    private readonly enrichMetadata: EnrichMetadataJob,
    private readonly fetchJob: FetchJob,
    private readonly fetchUrls: FetchUrlsJob,
  ) {}

  onModuleInit(): void {
    const def = (
      name: RegisteredJobName,
      run: (ctx: JobContext) => Promise<unknown>,
      extra: Partial<JobDefinition> = {},
    ): JobDefinition => ({ name, label: JOB_LABELS[name], schema: JOB_SCHEMAS[name], run, ...extra });
    this.jobs.registerJob(
      def('catalog_sync', (ctx) => this.catalogSync(ctx), {
        busy: () => this.catalog.isSyncRunning(),
      }),
    );
    this.jobs.registerJob(def('enrichtitles', (ctx) => this.thenSync(ctx, this.enrichTitles.run(ctx))));
    this.jobs.registerJob(
      def('enrichmeta', (ctx) => this.thenSync(ctx, this.enrichMetadata.run('enrichmeta', ctx))),
    );
    this.jobs.registerJob(
      def('enrichtv', (ctx) => this.thenSync(ctx, this.enrichMetadata.run('enrichtv', ctx))),
    );
    this.jobs.registerJob(def('fetch', (ctx) => this.thenSync(ctx, this.fetchJob.run(ctx))));
    this.jobs.registerJob(def('fetchurls', (ctx) => this.fetchUrls.run(ctx)));
    // Admin "Sync now" goes through the manager too: one single-flight, every run recorded.
    this.catalogAdmin.useSyncStarter((triggeredBy) => this.startSync(triggeredBy));
  }

  private async startSync(triggeredBy: string): Promise<boolean> {
    try {
      await this.jobs.start('catalog_sync', triggeredBy, {});
      return true;
    } catch (err) {
      if (err instanceof JobAlreadyRunningException) return false;
      throw err;
    }
  }

  /** After a run that wrote to MediaCMS, a recorded catalog sync (skipped if one is running). */
  private async thenSync<T extends { committed?: number; uploaded?: number }>(
    ctx: JobContext,
    work: Promise<T>,
  ): Promise<T> {
    const result = await work;
    if ((result.committed ?? 0) > 0 || (result.uploaded ?? 0) > 0) {
      await this.startSync(`job:${ctx.runId}`).catch(() => false);
    }
    return result;
  }

  /** One MediaCMS sync; the result is the sync's stats. */
  private async catalogSync(ctx: JobContext): Promise<unknown> {
    // Called before the first await: the sync holds the catalog's single-flight when start() returns.
    const running = this.catalog.runSync(ctx.triggeredBy, ctx.signal);
    void ctx.progress({ phase: 'syncing' });
    const summary = await running;
    // stopped between pages (nothing was marked gone): the run reads "cancelled"
    if (summary.status === 'error' && ctx.signal.aborted) ctx.signal.throwIfAborted();
    if (summary.status === 'already_running') throw new JobError('A catalog sync is already running');
    if (summary.status === 'error') {
      throw new JobError(
        `Catalog sync failed: ${summary.message ?? 'see the sync log'}` +
          ` (sync log #${summary.sync_log_id}; seen ${summary.seen}, new ${summary.new}, updated ${summary.updated})`,
      );
    }
    return summary;
  }
}
