import { existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { captureLogs } from '../../support/logs';
import { type JobsWorld, startJobsWorld } from './jobs-harness';

/**
 * fetch with the real yt-dlp (Debian's package) downloading the simulator's sample video over
 * loopback HTTP, then uploading it to the simulated MediaCMS (multipart, its real contract).
 */
describe('fetch (yt-dlp → MediaCMS, simulator)', () => {
  // real child processes (yt-dlp) and sign-in polling: a generous cap, not a timing goal
  jest.setTimeout(60_000);

  let w: JobsWorld;

  beforeEach(async () => {
    w = await startJobsWorld();
    w.tools.commands.add('yt-dlp');
  });
  afterEach(async () => {
    await w.close();
  });

  async function start(params: object): Promise<number> {
    const res = await w.api().post('/admin/jobs/fetch/run', { params }).expect(200);
    return res.body.run_id as number;
  }

  async function runToEnd(params: object): Promise<{ status: string; detail: Record<string, unknown> }> {
    const id = await start(params);
    await w.jobs.waitForRun(id);
    const row = await w.row(id);
    return { status: row.status, detail: row.detail === null ? {} : JSON.parse(row.detail) };
  }

  it('downloads, uploads with the source recorded, appends to a playlist, and never uploads a source twice', async () => {
    const playlist = await w.db.getRepository(SavedPlaylistEntity).save({
      name: 'Weekend',
      created_by: 'boss',
      created_at: w.clock.now(),
      is_immutable: false,
    });
    const url = `${w.sim.url}/videos/Burning-Kingdom.mp4`;
    const sizeBefore = w.sim.world.mediacms.size;
    const run = await runToEnd({ url, add_to_playlist: playlist.id });
    expect(run.status).toBe('completed');
    expect(run.detail).toMatchObject({
      downloaded: 1,
      uploaded: 1,
      duplicates: 0,
      errors: [],
      added_to_playlist: playlist.id,
    });
    const [token] = run.detail.tokens as string[];
    const item = w.sim.world.mediacms.get(token)!;
    expect(w.sim.world.mediacms.size).toBe(sizeBefore + 1);
    expect(item.title).toBe('Burning-Kingdom');
    expect(item.description.split('\n')[0]).toBe(`Original URL: ${url}`);
    expect(item.encoding_status).toBe('pending');
    const rows = await w.db.getRepository(SavedPlaylistItemEntity).findBy({ playlist_id: playlist.id });
    expect(rows.map((r) => [r.media_type, r.media_id])).toEqual([
      ['cm', `${w.sim.url}/api/v1/media/cytube/${token}.json?format=json`],
    ]);
    // temp files are gone
    const tmp = join(dirname(w.config.image_dir), 'fetch-tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);

    const again = await runToEnd({ url });
    expect(again.detail).toMatchObject({ downloaded: 0, uploaded: 0, duplicates: 1, tokens: [token] });
    expect(w.sim.world.mediacms.size).toBe(sizeBefore + 1);
  });

  it('a playlist URL is fetched one video at a time, up to max_videos, 5 s apart', async () => {
    const run = await runToEnd({ url: `${w.sim.url}/videos/list/3.html`, max_videos: 2 });
    expect(run.status).toBe('completed');
    expect(run.detail).toMatchObject({ downloaded: 2, uploaded: 2, errors: [] });
    expect(new Set(run.detail.tokens as string[]).size).toBe(2);
    expect(w.sleeper.waits).toContain(5000);
  });

  it('a source that fails says why; an unknown playlist fails before any download', async () => {
    const missing = await runToEnd({ url: `${w.sim.url}/nothing-here` });
    expect(missing.status).toBe('failed');
    expect(missing.detail.error as string).toMatch(/^yt-dlp: .*404/);
    const noList = await runToEnd({ url: `${w.sim.url}/videos/x.mp4`, add_to_playlist: 999 });
    expect(noList).toEqual({ status: 'failed', detail: { error: 'playlist 999 not found' } });
  });

  it('cancel mid-download kills yt-dlp and leaves nothing behind', async () => {
    await w.ctl.setFaults([{ path: '/videos/slow.mp4', latency_ms: 60_000 }]);
    const id = await start({ url: `${w.sim.url}/videos/slow.mp4` });
    // wait until yt-dlp is really running (the probe is hanging on the slow answer)
    for (let i = 0; i < 100 && !(await w.row(id)).detail?.includes('probing'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    await w.api().post('/admin/jobs/fetch/cancel').expect(200);
    await w.jobs.waitForRun(id);
    expect((await w.row(id)).status).toBe('cancelled');
    expect(w.sim.world.mediacms.all().some((i) => i.title === 'slow')).toBe(false);
  });

  it('an upload MediaCMS refuses ends the run failed, in words', async () => {
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/media', status: 500 }]);
    const logs = captureLogs();
    const run = await runToEnd({ url: `${w.sim.url}/videos/refused.mp4` });
    logs.restore();
    expect(run.status).toBe('failed');
    expect(run.detail.error).toMatch(/^Nothing was fetched: refused.*mediacms is unavailable: HTTP 500/);
  });
});
