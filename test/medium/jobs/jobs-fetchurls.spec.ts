import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchurlsAuth } from '../../../src/cli/fetchurls-auth';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { captureLogs } from '../../support/logs';
import { type JobsWorld, startJobsWorld } from './jobs-harness';

/**
 * fetchurls on a real .xlsx (exceljs): the weekend sheet of the world's date (Sunday 14 June
 * 2026 → "6.19-6.21"), links downloaded through the fetch path, the three fixed playlists; and
 * the same workbook from SharePoint through the Graph and sign-in stand-ins.
 */
describe('fetchurls (weekend workbook, simulator)', () => {
  // real child processes (yt-dlp) and sign-in polling: a generous cap, not a timing goal
  jest.setTimeout(60_000);

  let w: JobsWorld;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wq-fetchurls-'));
    w = await startJobsWorld({
      catalogSize: 40,
      configOverrides: (sim) => ({ fetchurls: { download_hosts: [new URL(sim.url).host] } }),
    });
    w.tools.commands.add('yt-dlp');
  });
  afterEach(async () => {
    await w.close();
  });

  async function workbook(sheets: Record<string, string[][]>): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    for (const [name, rows] of Object.entries(sheets)) {
      const sheet = book.addWorksheet(name);
      rows.forEach((r) => sheet.addRow(r));
    }
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  function weekendRows(): string[][] {
    const [a, b] = w.sim.world.mediacms.all().filter((i) => i.state === 'public' && i.duration > 0);
    return [
      ['Slot', '', '', '', 'Link', 'Resolved'],
      ['Friday Night Frights'],
      ['Opener', '', '', '', `${w.sim.url}/view?m=${a.friendly_token}`],
      ['Feature', '', '', '', `${w.sim.url}/videos/Friday-Feature.mp4`],
      ['Saturday Morning Cartoons'],
      ['Toon', '', '', '', `${w.sim.url}/api/v1/media/cytube/${b.friendly_token}.json?format=json`],
      ['Saturday Night'],
      ['Gone', '', '', '', `${w.sim.url}/view?m=ZZZZZZZZZ`],
      ['Elsewhere', '', '', '', 'https://archive.org/details/late-show'],
    ];
  }

  async function runToEnd(params: object): Promise<{ status: string; detail: Record<string, unknown> }> {
    const res = await w.api().post('/admin/jobs/fetchurls/run', { params }).expect(200);
    await w.jobs.waitForRun(res.body.run_id as number);
    const row = await w.row(res.body.run_id as number);
    return { status: row.status, detail: row.detail === null ? {} : JSON.parse(row.detail) };
  }

  it('resolves this weekend’s links, downloads off-site ones, and replaces the three fixed playlists', async () => {
    const path = join(dir, 'weekend.xlsx');
    writeFileSync(
      path,
      await workbook({ Template: [['x']], '6.12-6.14': [['old']], '6.19-6.21': weekendRows() }),
    );
    w.tools.files.add(path);
    // an existing Friday Night keeps its flag and owner
    await w.db
      .getRepository(SavedPlaylistEntity)
      .save({ name: 'Friday Night', created_by: 'curator', created_at: w.clock.now(), is_immutable: false });

    const dry = await runToEnd({ workbook_path: path, dry_run: true });
    expect(dry.status).toBe('completed');
    expect(dry.detail).toMatchObject({
      sheet: '6.19-6.21',
      source: 'param',
      dry_run: true,
      downloaded: 0,
      imported_playlists: [],
    });
    expect(w.sim.world.mediacms.size).toBe(40);

    const logs = captureLogs();
    const run = await runToEnd({ workbook_path: path });
    logs.restore();
    expect(run.status).toBe('completed');
    expect(run.detail).toMatchObject({
      sheet: '6.19-6.21',
      source: 'param',
      downloaded: 1,
      kept_unknown: 1,
      writeback: null,
      // Saturday Night's only playable-looking link is on a site the importer cannot play
      imported_playlists: ['Friday Night', 'Saturday Morning'],
    });
    const failures = run.detail.failures as { row: number; error: string }[];
    expect(failures.find((f) => f.row === 9)?.error).toBe(
      'not imported into Saturday Night: unsupported site',
    );
    expect(failures.map((f) => f.row)).toContain(8);
    expect(failures.find((f) => f.row === 8)?.error).toMatch(/does not answer/);

    const playlists = await w.db.getRepository(SavedPlaylistEntity).find({ order: { id: 'ASC' } });
    const friday = playlists.find((p) => p.name === 'Friday Night')!;
    expect(friday).toMatchObject({ created_by: 'curator', is_immutable: false });
    expect(playlists.find((p) => p.name === 'Saturday Morning')).toMatchObject({
      created_by: 'boss',
      is_immutable: true,
    });
    const items = await w.db
      .getRepository(SavedPlaylistItemEntity)
      .find({ where: { playlist_id: friday.id }, order: { position: 'ASC' } });
    expect(items).toHaveLength(2);
    expect(items.every((i) => i.media_type === 'cm')).toBe(true);
  });

  it('a missing weekend sheet fails naming the sheets that exist', async () => {
    const path = join(dir, 'old.xlsx');
    writeFileSync(path, await workbook({ Notes: [['x']], '6.5-6.7': [['x']], '6.12-6.14': [['x']] }));
    w.tools.files.add(path);
    const run = await runToEnd({ workbook_path: path });
    expect(run).toEqual({
      status: 'failed',
      detail: {
        error:
          "This weekend's worksheet '6.19-6.21' was not found in the workbook. Available weekend sheets: 6.5-6.7, 6.12-6.14",
      },
    });
    const notXlsx = join(dir, 'bad.xlsx');
    writeFileSync(notXlsx, 'not a workbook');
    w.tools.files.add(notXlsx);
    expect((await runToEnd({ workbook_path: notXlsx })).detail.error as string).toMatch(
      /^The workbook could not be read as \.xlsx/,
    );
  });

  it('SharePoint: one-time device-code sign-in, Graph download, column F written back as links resolve', async () => {
    const sharing = 'https://channelz.sharepoint.com/:x:/s/programming/EWeekendBook?e=abc';
    w.sim.world.graph.share(sharing, 'Weekend.xlsx', await workbook({ '6.19-6.21': weekendRows() }));
    const cache = join(dir, 'msal-cache.json');
    const fetchurls = {
      sharepoint_tenant_id: 'tenant-1',
      sharepoint_client_id: 'client-1',
      sharepoint_sharing_url: sharing,
      token_cache_path: cache,
      graph_url: `${w.sim.url}/graph/v1.0`,
      login_url: `${w.sim.url}/login`,
      download_hosts: [new URL(w.sim.url).host],
    };

    // the job without a sign-in says what to run
    await w.restartWith({
      fetchurls: Object.assign(
        Object.create(Object.getPrototypeOf(w.config.fetchurls) as object) as object,
        w.config.fetchurls,
        fetchurls,
      ),
    });
    const before = await runToEnd({});
    expect(before.status).toBe('failed');
    expect(before.detail.error).toMatch(/No Microsoft sign-in is cached.*npm run fetchurls-auth/);

    // the CLI: exit 2 when not configured, 0 after the device-code flow
    const configPath = join(dir, 'config.json');
    const out: string[] = [];
    writeFileSync(
      configPath,
      JSON.stringify({
        secret_key: 'x'.repeat(32),
        api_gate_token: 't',
        mediacms_token: 't',
        fetchurls: { ...fetchurls, token_cache_path: '' },
      }),
    );
    expect(await fetchurlsAuth(['--config', configPath], {}, (l) => out.push(l))).toBe(2);
    writeFileSync(
      configPath,
      JSON.stringify({ secret_key: 'x'.repeat(32), api_gate_token: 't', mediacms_token: 't', fetchurls }),
    );
    expect(await fetchurlsAuth(['--config', configPath], {}, (l) => out.push(l))).toBe(0);
    expect(out.some((l) => /enter the code SIM\d+/.test(l))).toBe(true);
    expect(out.at(-1)).toMatch(/^✓ Authenticated as operator@channel-z\.example/);
    expect(await fetchurlsAuth(['--config', configPath], {}, (l) => out.push(l))).toBe(0);
    expect(out.at(-1)).toMatch(/still works/);

    // an expired access token is refreshed silently
    w.sim.world.graph.expireAccessTokens();
    const logs = captureLogs();
    const run = await runToEnd({});
    logs.restore();
    expect(run.status).toBe('completed');
    expect(run.detail).toMatchObject({ source: 'sharepoint', sheet: '6.19-6.21', downloaded: 1 });
    const wb = run.detail.writeback as { ok: number; failed: number };
    expect(wb.failed).toBe(0);
    expect(wb.ok).toBeGreaterThanOrEqual(3);
    const writes = w.sim.world.graph.writes;
    expect(writes.every((x) => x.sheet === '6.19-6.21' && x.address.startsWith('F'))).toBe(true);
    expect(writes.map((x) => x.address)).toContain('F4');
    const featureUrl = writes.find((x) => x.address === 'F4')!.values[0][0] as string;
    expect(featureUrl).toMatch(/\/api\/v1\/media\/cytube\/[A-Za-z0-9]{9}\.json\?format=json$/);

    // the next run trusts column F: nothing is downloaded again
    const next = await runToEnd({ validate: false });
    expect(next.detail).toMatchObject({ downloaded: 0 });
  });
});
