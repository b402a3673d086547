import { metadataOverrides } from '../../support/config';
import { captureLogs } from '../../support/logs';
import { type JobsWorld, startJobsWorld } from './jobs-harness';

/** The enrich jobs against the simulator's MediaCMS, TMDb and OMDb over HTTP. */
describe('enrich jobs (simulator, real SQLite)', () => {
  // real child processes (yt-dlp) and sign-in polling: a generous cap, not a timing goal
  jest.setTimeout(60_000);

  let w: JobsWorld;

  afterEach(async () => {
    await w.close();
  });

  async function runToEnd(
    name: string,
    params: object = {},
  ): Promise<{ status: string; detail: Record<string, unknown> }> {
    const res = await w.api().post(`/admin/jobs/${name}/run`, { params }).expect(200);
    await w.jobs.waitForRun(res.body.run_id as number);
    const row = await w.row(res.body.run_id as number);
    return { status: row.status, detail: row.detail === null ? {} : JSON.parse(row.detail) };
  }

  describe('enrichtitles', () => {
    beforeEach(async () => {
      w = await startJobsWorld({ catalogSize: 60 });
    });

    it('commits cleaned titles to MediaCMS, restores each owner, paces its calls', async () => {
      const store = w.sim.world.mediacms;
      const [a, b, c] = store.all();
      a.title = 'Night.of.the.Living.Dead.1968.1080p.BluRay.x264.mkv';
      b.title = 'Show.Name.S01E08.720p.WEB-DL.mkv';
      c.title = 'Cheers ｜ Season 3 Episode 5 ｜ Full Episode';
      const owners = [a.user, b.user, c.user];
      const before = new Map(store.all().map((i) => [i.friendly_token, i.title]));

      const dry = await runToEnd('enrichtitles', { dry_run: true });
      expect(dry.status).toBe('completed');
      expect(dry.detail).toMatchObject({ scanned: 60, committed: 0, failed: 0, dry_run: true });
      expect(store.all().map((i) => i.title)).toEqual([...before.values()]);

      const run = await runToEnd('enrichtitles', {});
      expect(run.status).toBe('completed');
      const matched = run.detail.matched as number;
      expect(matched).toBeGreaterThanOrEqual(3);
      expect(run.detail).toMatchObject({
        scanned: 60,
        committed: matched,
        skipped: 60 - matched,
        failed: 0,
        dry_run: false,
        owner_not_restored: 0,
      });
      expect([a.title, b.title, c.title]).toEqual([
        'Night of the Living Dead (1968)',
        'Show Name S01E08',
        'Cheers S03E05',
      ]);
      expect([a.user, b.user, c.user]).toEqual(owners);
      // 0.15 s between pages and between writes
      expect(w.sleeper.waits.length).toBeGreaterThanOrEqual(matched - 1);
      expect(new Set(w.sleeper.waits)).toEqual(new Set([150]));
      // nothing is left to clean
      expect((await runToEnd('enrichtitles', {})).detail).toMatchObject({ matched: 0, committed: 0 });
    });

    it('a MediaCMS write failing half-way fails that item only, listed with its reason', async () => {
      const store = w.sim.world.mediacms;
      const items = store.all().slice(0, 4);
      items.forEach((item, i) => (item.title = `Lost.Film.${1950 + i}.720p.mp4`));
      await w.ctl.setFaults([
        { method: 'PUT', path: `/api/v1/media/${items[1].friendly_token}`, status: 500 },
      ]);
      const logs = captureLogs();
      const run = await runToEnd('enrichtitles', { limit: 4 });
      logs.restore();
      expect(run.status).toBe('completed');
      expect(run.detail).toMatchObject({ matched: 4, committed: 3, failed: 1 });
      expect(run.detail.failures).toEqual([
        {
          friendly_token: items[1].friendly_token,
          title: 'Lost.Film.1951.720p.mp4',
          error: expect.stringContaining('HTTP 500'),
        },
      ]);
      expect(items.map((i) => i.title)).toEqual([
        'Lost Film (1950)',
        'Lost.Film.1951.720p.mp4',
        'Lost Film (1952)',
        'Lost Film (1953)',
      ]);
    });

    it('falls back to the public list when the token may not use manage_media (403)', async () => {
      await w.ctl.setFaults([
        {
          path: '/api/v1/manage_media',
          status: 403,
          body: { detail: 'You do not have permission to perform this action.' },
        },
      ]);
      const publicCount = w.sim.world.mediacms.all().filter((i) => i.state === 'public').length;
      const run = await runToEnd('enrichtitles', { dry_run: true });
      expect(run.status).toBe('completed');
      expect(run.detail.scanned).toBe(publicCount);
    });

    it('days keeps only recent uploads', async () => {
      const store = w.sim.world.mediacms;
      const [recent, old] = store.all();
      recent.title = 'Recent.Upload.1960.mp4';
      recent.add_date = new Date(w.clock.nowMs() - 86_400_000).toISOString();
      old.title = 'Old.Upload.1961.mp4';
      old.add_date = '2020-01-01T00:00:00.000Z';
      const run = await runToEnd('enrichtitles', { days: 3, dry_run: true });
      const tokens = (run.detail.changes as { friendly_token: string }[]).map((c) => c.friendly_token);
      expect(tokens).toContain(recent.friendly_token);
      expect(tokens).not.toContain(old.friendly_token);
    });
  });

  describe('enrichmeta and enrichtv', () => {
    beforeEach(async () => {
      w = await startJobsWorld({ catalogSize: 120, configOverrides: (sim) => metadataOverrides(sim) });
    });

    it('enrichmeta writes sectioned descriptions and canonical titles from TMDb and OMDb', async () => {
      const store = w.sim.world.mediacms;
      const known = w.sim.world.metadata.movies.find((m) =>
        store.all().some((i) => i.title === `${m.title} (${m.year})`),
      )!;
      const item = store.all().find((i) => i.title === `${known.title} (${known.year})`);
      expect(item).toBeDefined();
      const owner = item!.user;
      item!.description =
        'Original URL: https://archive.org/details/x\n\nOriginal Description:\nA scan of a print.';

      const dry = await runToEnd('enrichmeta', { dry_run: true });
      expect(dry.status).toBe('completed');
      expect(dry.detail.would_enrich as number).toBeGreaterThan(0);
      expect(item!.description).toContain('A scan of a print.');

      const run = await runToEnd('enrichmeta', {});
      expect(run.status).toBe('completed');
      expect(run.detail.committed).toBe(dry.detail.would_enrich);
      expect(item!.title).toBe(`${known.title} (${known.year})`);
      expect(item!.user).toBe(owner);
      const d = item!.description;
      for (const marker of [
        'Synopsis:',
        'Release Year:',
        'Content Rating:',
        'Genres:',
        'Ratings:',
        'Cast & Crew:',
        'Director(s):',
        'Cast:',
      ]) {
        expect(d).toContain(marker);
      }
      expect(d).toContain(known.overview);
      expect(d).toContain(`Director(s): ${known.directors[0]}`);
      expect(d).toContain('Rotten Tomatoes');
      expect(
        d.endsWith(
          'Original URL: https://archive.org/details/x\n\nOriginal Description:\nA scan of a print.',
        ),
      ).toBe(true);
      // the new score is what it is now: the next run finds nothing better to write
      const again = await runToEnd('enrichmeta', {});
      expect(again.detail.committed).toBe(0);
    });

    it('backs off on 429 with Retry-After, then goes on', async () => {
      await w.ctl.setFaults([
        {
          path: '/tmdb/3/search/movie',
          status: 429,
          times: 2,
          headers: { 'Retry-After': '2' },
          body: { status_code: 25, status_message: 'Your request count is over the allowed limit.' },
        },
      ]);
      const run = await runToEnd('enrichmeta', { limit: 1 });
      expect(run.status).toBe('completed');
      expect(w.sleeper.waits.filter((ms) => ms === 2000)).toHaveLength(2);
      expect(run.detail.matched).toBe(1);
    });

    it('a wrong key fails the run in words', async () => {
      await w.close();
      w = await startJobsWorld({
        catalogSize: 120,
        configOverrides: (sim) => ({ ...metadataOverrides(sim), tmdb_api_key: 'wrong', omdb_api_key: '' }),
      });
      const logs = captureLogs();
      const run = await runToEnd('enrichmeta', { limit: 1 });
      logs.restore();
      expect(run.status).toBe('completed');
      expect(run.detail.failed).toBe(1);
      expect((run.detail.failures as { error: string }[])[0].error).toMatch(
        /TMDb rejected our API key \(Invalid API key/,
      );
    });

    it('enrichtv names episodes "Show - S01E02 - Title", looking each show up once', async () => {
      const store = w.sim.world.mediacms;
      const show = w.sim.world.metadata.shows[0];
      const episodes = store.all().slice(0, 3);
      episodes.forEach((e, i) => {
        e.title = `${show.name} S01E0${i + 1}`;
        e.duration = 1500;
        e.description = '';
      });
      const run = await runToEnd('enrichtv', {});
      expect(run.status).toBe('completed');
      expect(run.detail.committed as number).toBeGreaterThanOrEqual(3);
      for (const [i, e] of episodes.entries()) {
        expect(e.title).toMatch(new RegExp(`^${show.name} - S01E0${i + 1} - \\S`));
        expect(e.description).toContain(`Show: ${show.name}`);
        expect(e.description).toContain('Air Date:');
      }
      const searches = w.sim.world.metadata.requests.filter((p) => p === '/tmdb/3/search/tv');
      const shows = new Set(
        store
          .all()
          .filter((i) => /S\d\dE\d\d/.test(i.title) || / - S\d\dE\d\d/.test(i.title))
          .map((i) => i.title.split(/ - S| S\d/)[0].toLowerCase()),
      );
      expect(searches.length).toBeLessThanOrEqual(shows.size);
    });
  });
});
