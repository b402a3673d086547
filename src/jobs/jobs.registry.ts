import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CatalogAdminService } from '../catalog/catalog-admin.service';
import { CatalogService } from '../catalog/catalog.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { addedSince, proposeTitle } from './enrich-titles.rules';
import { JobAlreadyRunningException, JobError } from './jobs.exception';
import { JobsRepository } from './jobs.repository';
import { JOB_LABELS, JOB_SCHEMAS, type RegisteredJobName } from './jobs.schemas';
import { JobManager } from './jobs.service';
import type { JobContext, JobDefinition } from './jobs.types';
import { ToolLocator } from './tool-locator';

/** enrichtitles dry run: candidates kept in the run's detail (the counts cover all). */
export const MAX_LISTED_CANDIDATES = 200;
const SCAN_CHUNK = 250;

export interface TitleCandidate {
  friendly_token: string;
  title: string;
  proposed: string;
}

/**
 * The six background jobs. `catalog_sync` runs the catalog's own single-flight sync.
 * The others need outside tools this product does not ship (yt-dlp, the vendored enrichers, a
 * workbook reader, SharePoint sign-in): each checks what it needs first and fails with a clean
 * JobError naming it. `enrichtitles` with dry_run really scans the local catalog.
 */
@Injectable()
export class RegisteredJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobManager,
    private readonly catalog: CatalogService,
    private readonly repo: JobsRepository,
    private readonly config: AppConfig,
    private readonly tools: ToolLocator,
    private readonly clock: Clock,
    private readonly catalogAdmin: CatalogAdminService,
  ) {}

  onModuleInit(): void {
    const def = (
      name: RegisteredJobName,
      run: (ctx: JobContext) => Promise<unknown>,
      extra: Partial<JobDefinition> = {},
    ): JobDefinition => ({ name, label: JOB_LABELS[name], schema: JOB_SCHEMAS[name], run, ...extra });
    this.jobs.registerJob(
      def('catalog_sync', (ctx) => this.catalogSync(ctx), {
        cancellable: false,
        busy: () => this.catalog.isSyncRunning(),
      }),
    );
    this.jobs.registerJob(def('enrichtitles', (ctx) => this.enrichTitles(ctx)));
    this.jobs.registerJob(def('enrichmeta', (ctx) => this.enrichMeta('enrichmeta', ctx)));
    this.jobs.registerJob(def('enrichtv', (ctx) => this.enrichMeta('enrichtv', ctx)));
    this.jobs.registerJob(def('fetch', (ctx) => this.fetch(ctx)));
    this.jobs.registerJob(def('fetchurls', (ctx) => this.fetchUrls(ctx)));
    // Admin "Sync now" goes through the manager too: one single-flight, every run recorded.
    this.catalogAdmin.useSyncStarter(async (triggeredBy) => {
      try {
        await this.jobs.start('catalog_sync', triggeredBy, {});
        return true;
      } catch (err) {
        if (err instanceof JobAlreadyRunningException) return false;
        throw err;
      }
    });
  }

  /** One MediaCMS sync; the result is the sync's stats. */
  private async catalogSync(ctx: JobContext): Promise<unknown> {
    // Called before the first await: the sync holds the catalog's single-flight when start() returns.
    const running = this.catalog.runSync(ctx.triggeredBy);
    void ctx.progress({ phase: 'syncing' });
    const summary = await running;
    if (summary.status === 'already_running') throw new JobError('A catalog sync is already running');
    if (summary.status === 'error') {
      throw new JobError(
        `Catalog sync failed: ${summary.message ?? 'see the sync log'}` +
          ` (sync log #${summary.sync_log_id}; seen ${summary.seen}, new ${summary.new}, updated ${summary.updated})`,
      );
    }
    return summary;
  }

  private async enrichTitles(ctx: JobContext): Promise<unknown> {
    const { dry_run: dryRun, limit, days } = ctx.params;
    if (dryRun !== true) {
      throw new JobError(
        'enrichtitles can only run as a dry run on this server: writing titles back to MediaCMS ' +
          'needs the vendored title cleaner, which is not installed',
      );
    }
    const maxMatches = typeof limit === 'number' && limit > 0 ? limit : Infinity;
    await ctx.progress({ phase: 'fetching' });
    const since = addedSince(this.clock.nowMs(), typeof days === 'number' ? days : null);
    const items = await this.catalog.liveTitles(since);
    const candidates: TitleCandidate[] = [];
    let scanned = 0;
    let matched = 0;
    let skipped = 0;
    for (const item of items) {
      if (matched >= maxMatches) break;
      if (scanned % SCAN_CHUNK === 0 && scanned > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        ctx.signal.throwIfAborted();
        void ctx.progress({ phase: 'scanned', scanned, matched });
      }
      scanned++;
      const p = proposeTitle(item.title);
      if (p.kind === 'tv') skipped++;
      if (p.kind !== 'change') continue;
      matched++;
      if (candidates.length < MAX_LISTED_CANDIDATES) {
        candidates.push({ friendly_token: item.friendly_token, title: item.title, proposed: p.proposed });
      }
    }
    ctx.signal.throwIfAborted();
    return {
      scanned,
      matched,
      committed: 0,
      skipped,
      failed: 0,
      dry_run: true,
      candidates,
      candidates_truncated: matched > candidates.length,
      note: 'Movie rules only ([YYYY] or a file extension); TV-looking titles are skipped.',
    };
  }

  private enrichMeta(name: 'enrichmeta' | 'enrichtv', _ctx: JobContext): Promise<unknown> {
    if (!this.config.tmdb_api_key && !this.config.omdb_api_key) {
      throw new JobError(
        `${name} needs a TMDb or OMDb key: tmdb_api_key and omdb_api_key are not configured`,
      );
    }
    throw new JobError(
      `${name} is not available on this server: the metadata enricher that writes descriptions ` +
        'to MediaCMS is not installed',
    );
  }

  private fetch(ctx: JobContext): Promise<unknown> {
    const url = String(ctx.params.url ?? '');
    if (!/^https?:\/\/\S+$/i.test(url)) throw new JobError(`Unsupported URL: ${url}`);
    if (!this.tools.which('yt-dlp')) throw new JobError('yt-dlp is not installed on this server');
    throw new JobError(
      'fetch is not available on this server: this version of webqueue cannot upload downloads to MediaCMS yet',
    );
  }

  private fetchUrls(ctx: JobContext): Promise<unknown> {
    const override = typeof ctx.params.workbook_path === 'string' ? ctx.params.workbook_path.trim() : '';
    const sp = this.config.fetchurls;
    const configured = sp.workbook_path.trim();
    if (!override && sp.sharepoint_tenant_id && sp.sharepoint_client_id && sp.sharepoint_sharing_url) {
      throw new JobError(
        'fetchurls cannot read the workbook from SharePoint on this server: no Microsoft sign-in ' +
          '(MSAL) client is installed; set fetchurls.workbook_path to a local copy',
      );
    }
    const path = override || configured;
    if (!path) {
      throw new JobError(
        'fetchurls needs a workbook source: set fetchurls.workbook_path (or the SharePoint settings) ' +
          'in the config, or pass workbook_path',
      );
    }
    if (!this.tools.fileExists(path)) throw new JobError(`Workbook not found: ${path}`);
    throw new JobError('fetchurls is not available on this server: no .xlsx workbook reader is installed');
  }
}
