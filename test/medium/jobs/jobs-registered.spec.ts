import { CatalogService } from '../../../src/catalog/catalog.service';
import { CatalogSyncService } from '../../../src/catalog/catalog-sync.service';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { SyncLogEntity } from '../../../src/catalog/entities/sync-log.entity';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { type JobsWorld, startJobsWorld } from './jobs-harness';

describe('registered jobs (simulator, real SQLite)', () => {
  let w: JobsWorld;

  beforeEach(async () => {
    w = await startJobsWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  async function runToEnd(name: string, params: object = {}): Promise<{ status: string; detail: unknown }> {
    const res = await w.api().post(`/admin/jobs/${name}/run`, { params }).expect(200);
    await w.jobs.waitForRun(res.body.run_id as number);
    const row = await w.row(res.body.run_id as number);
    return { status: row.status, detail: row.detail === null ? null : JSON.parse(row.detail) };
  }

  it('lists the six jobs with labels and schemas; playlist params list the saved playlists', async () => {
    await w.db.getRepository(SavedPlaylistEntity).save({
      name: 'Friday Night',
      created_by: 'boss',
      created_at: w.clock.now(),
      is_immutable: false,
    });
    const list = await w.api().get('/admin/jobs').expect(200);
    expect(list.body.map((j: { name: string; label: string }) => [j.name, j.label])).toEqual([
      ['catalog_sync', 'Catalog Sync'],
      ['enrichtitles', 'Enrich Titles'],
      ['enrichmeta', 'Enrich Movie Metadata'],
      ['enrichtv', 'Enrich TV Metadata'],
      ['fetch', 'Fetch (download → MediaCMS)'],
      ['fetchurls', 'Fetch URLs (weekend workbook)'],
    ]);
    expect(list.body[0]).toMatchObject({ running: false, cancellable: true, schema: [], last_run: null });
    const fetch = await w.api().get('/admin/jobs/fetch/schema').expect(200);
    expect(fetch.body.name).toBe('fetch');
    expect(fetch.body.schema.map((f: { name: string }) => f.name)).toEqual([
      'url',
      'quality',
      'max_videos',
      'add_to_playlist',
    ]);
    expect(fetch.body.schema[0]).toMatchObject({ type: 'string', required: true, label: 'URL' });
    expect(fetch.body.schema[1]).toMatchObject({
      type: 'enum',
      default: 'medium',
      options: ['best', 'good', 'medium'],
    });
    expect(fetch.body.schema[3]).toMatchObject({
      type: 'playlist',
      options: [{ value: expect.any(Number), label: 'Friday Night' }],
    });
    const bad = await w
      .api()
      .post('/admin/jobs/fetch/run', { params: { quality: 'ultra' } })
      .expect(400);
    expect(bad.body.detail).toBe('URL is required; Quality must be one of [best, good, medium]');
  });

  it('catalog_sync really syncs from MediaCMS and records the sync stats', async () => {
    const result = await runToEnd('catalog_sync');
    expect(result.status).toBe('completed');
    expect(result.detail).toMatchObject({ status: 'completed', triggered_by: 'admin:boss', errors: 0 });
    const synced = await w.db.getRepository(CatalogItemEntity).count();
    expect(synced).toBeGreaterThan(0);
    expect((result.detail as { new: number }).new).toBe(synced);
    const logs = await w.db.getRepository(SyncLogEntity).find();
    expect(logs).toHaveLength(1);
    expect(logs[0].status).toBe('completed');
    const list = await w.api().get('/admin/jobs').expect(200);
    expect(list.body[0].last_run).toMatchObject({
      status: 'completed',
      summary: expect.stringContaining('new: '),
    });
  });

  it('catalog_sync can be cancelled between pages and then marks nothing gone', async () => {
    await w.close();
    w = await startJobsWorld({ catalogSize: 150 }); // three pages of 50
    await w.ctl.setFaults([{ method: 'GET', path: '/api/v1/manage_media', latency_ms: 400 }]);
    const res = await w.api().post('/admin/jobs/catalog_sync/run', {}).expect(200);
    await new Promise((r) => setTimeout(r, 100));
    await w.api().post('/admin/jobs/catalog_sync/cancel').expect(200);
    await w.jobs.waitForRun(res.body.run_id as number);
    expect((await w.row(res.body.run_id as number)).status).toBe('cancelled');
    const [log] = await w.db.getRepository(SyncLogEntity).find({ order: { id: 'DESC' }, take: 1 });
    expect(log).toMatchObject({ status: 'error', message: 'cancelled by an admin', items_gone: 0 });
  });

  it('catalog_sync agrees with the catalog single-flight: 409 while an interval sync runs', async () => {
    const interval = w.t.get(CatalogService).runSync('interval');
    const res = await w.api().post('/admin/jobs/catalog_sync/run', {}).expect(409);
    expect(res.body.code).toBe('already_running');
    expect((await w.api().get('/admin/jobs').expect(200)).body[0].running).toBe(true);
    await interval;
    // Admin "Sync now" goes through the job manager and is recorded.
    const now = await w.api().post('/admin/queue/sync-now').expect(200);
    expect(now.body).toEqual({ success: true, message: 'Sync started' });
    const again = await w.api().post('/admin/queue/sync-now').expect(200);
    expect(again.body).toEqual({ success: false, message: 'Sync already running' });
    await w.t.get(CatalogSyncService).waitForIdle();
    const [run] = (await w.api().get('/admin/jobs/runs?job=catalog_sync').expect(200)).body;
    await w.jobs.waitForRun(run.id as number);
    expect(await w.row(run.id as number)).toMatchObject({ status: 'completed', triggered_by: 'admin:boss' });
  });

  it('jobs needing outside tools fail cleanly, naming what is missing', async () => {
    const fetchNoTool = await runToEnd('fetch', { url: 'https://www.youtube.com/watch?v=abc' });
    expect(fetchNoTool).toEqual({
      status: 'failed',
      detail: {
        error:
          'yt-dlp is not installed on this server (install the Debian package yt-dlp, or set ytdlp_path)',
      },
    });
    expect((await runToEnd('fetch', { url: 'ftp://x' })).detail).toEqual({
      error: 'Unsupported URL: ftp://x (only http and https links can be fetched)',
    });

    for (const name of ['enrichmeta', 'enrichtv']) {
      expect(await runToEnd(name, { dry_run: true })).toEqual({
        status: 'failed',
        detail: {
          error: `${name} needs a TMDb or OMDb key: tmdb_api_key and omdb_api_key are not configured`,
        },
      });
    }

    expect(((await runToEnd('fetchurls')).detail as { error: string }).error).toMatch(
      /^fetchurls needs a workbook source/,
    );
    expect((await runToEnd('fetchurls', { workbook_path: '/nowhere/weekend.xlsx' })).detail).toEqual({
      error: 'Workbook not found: /nowhere/weekend.xlsx',
    });
  });
});
