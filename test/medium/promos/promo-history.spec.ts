import { DataSource } from 'typeorm';
import { PlayHistoryService } from '../../../src/history/play-history.service';
import { PlaylistsService } from '../../../src/playlists/playlists.service';
import { QueueShadowService } from '../../../src/queue/queue-shadow.service';
import { captureLogs } from '../../support/logs';
import { type ScheduleWorld, startScheduleWorld } from '../schedules/schedule-support';
import {
  director,
  finishCurrent,
  insertPool,
  pick,
  putSettings,
  queuePermanent,
  shadowOf,
  shape,
} from './promo-world';

/**
 * Play history, cooldowns, the decision log across a restart, the preview, and the settings'
 * failure paths — the simulator's channel over HTTP, the app on SQLite, a manual clock.
 */
describe('promo history, cooldowns and preview (simulator, manual clock)', () => {
  let w: ScheduleWorld;
  let rows: ReturnType<typeof pick>;
  const NEVER = 100_000; // minutes: no time cadence

  beforeEach(async () => {
    w = await startScheduleWorld();
    rows = pick(w);
    await w.ctl.addUser({ name: 'alice', balance: 1000 });
  });
  afterEach(() => w.close());

  const history = (): PlayHistoryService => w.t.get(PlayHistoryService);
  const settings = async (body: Record<string, unknown>): Promise<void> => {
    const res = await putSettings(w, body);
    expect(res.status).toBe(200);
  };

  it('records every play when it starts; an item that played between two polls is inferred; promos are not content', async () => {
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 2));
    await settings({ general: { every_n_items: 1, every_m_minutes: NEVER } });
    await queuePermanent(w, rows.content.slice(0, 3));
    await w.poll(); // content 0 plays; a general promo goes before content 1
    expect(await shape(w)).toBe('CGCC');
    await finishCurrent(w); // content 0 ends, the promo plays…
    await finishCurrent(w); // …and ends before anyone polls
    await w.poll();

    const all = (await history().recent(10, 'all')).reverse();
    expect(all.map((r) => [r.title, r.is_promo, r.inferred])).toEqual([
      [rows.content[0].title, false, false],
      [expect.any(String), true, true],
      [rows.content[1].title, false, false],
    ]);
    expect(rows.clips.slice(0, 2).map((c) => c.title)).toContain(all[1].title);
    expect(all[1].promo_type).toBe('channel_identity');
    // the promo started right when content 0 ended
    expect(all[1].started_at.getTime()).toBe(
      all[2].started_at.getTime() - rows.clips.find((c) => c.title === all[1].title)!.duration * 1000,
    );
    const content = await history().recent(10, 'content');
    expect(content.map((r) => r.title)).toEqual([rows.content[1].title, rows.content[0].title]);
    // polling again records nothing new
    await w.poll();
    expect(await history().recent(10, 'all')).toHaveLength(3);
  });

  it('a clip cools down after it plays; with every clip cooling down the slot is skipped, once, with the time it comes back', async () => {
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 2), 'Idents');
    await settings({
      general: { every_n_items: 1, every_m_minutes: NEVER, no_repeat: false, clip_cooldown_minutes: 600 },
    });
    await queuePermanent(w, rows.content.slice(0, 4));
    const promoClips: string[] = [];
    for (let step = 0; step < 8; step++) {
      await w.poll();
      await w.poll(); // a second poll never changes the decision
      const np = shadowOf(w).nowPlayingUid();
      const item = np === null ? undefined : shadowOf(w).get(np);
      if (item?.is_promo) promoClips.push(item.media_id);
      await finishCurrent(w);
    }
    // two clips, a 10 h cooldown: each plays once, then the slots get nothing
    expect(promoClips).toHaveLength(2);
    expect(new Set(promoClips).size).toBe(2);
    const log = await director(w).recentDecisions();
    const skips = log.filter((d) => d.outcome === 'no_clip');
    expect(skips.length).toBeGreaterThan(0);
    // logged once per slot, not once per poll
    expect(new Set(skips.map((d) => d.slot)).size).toBe(skips.length);
    const firstPlay = Math.min(
      ...(await history().recent(50, 'all')).filter((r) => r.is_promo).map((r) => r.started_at.getTime()),
    );
    expect(skips[0]).toMatchObject({
      promo_type: 'general',
      error: 'every clip is cooling down or outside its hours',
      detail: { next_eligible_at_ms: firstPlay + 600 * 60_000, chosen: null },
    });
    expect(skips[0].detail?.excluded_clips.map((c) => c.why)).toEqual([
      expect.stringMatching(/^played \d+ (min|h) ago \(clip cooldown 10 h\)$/),
      expect.stringMatching(/^played \d+ (min|h) ago \(clip cooldown 10 h\)$/),
    ]);
    expect(skips[0].why).toMatch(/^due after every content item \(\d+ since the last promo\)$/);
  });

  it('the decision log and the slot marks survive a restart: a slow add is never followed by a second promo', async () => {
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 3));
    await settings({ general: { every_n_items: 1, every_m_minutes: NEVER } });
    await queuePermanent(w, rows.content.slice(0, 3));
    w.readBack.flush = () => Promise.resolve(); // CyTube applies the move late
    await w.poll();
    expect(await shape(w)).toBe('CCCG'); // added, not moved yet
    const before = await director(w).recentDecisions();
    expect(before).toEqual([
      expect.objectContaining({ outcome: 'unconfirmed', slot: expect.stringMatching(/^general:/) }),
    ]);

    await w.restart(); // the app goes down with the promo not yet in place
    w.readBack.flush = () => Promise.resolve();
    for (let i = 0; i < 3; i++) await w.poll();
    expect(await shape(w)).toBe('CCCG'); // no second promo for the same slot
    expect(await director(w).recentDecisions()).toEqual(before);
    await w.ctl.flush();
    await w.poll();
    expect(await shape(w)).toBe('CGCC');
  });

  it('a crash between the add and marking it: after the restart the saved slot adopts the clip, no second lead-in', async () => {
    await insertPool(w, 'feature_presentation', rows.clips.slice(0, 2), 'Feature');
    await settings({ general: { every_n_items: 1000, every_m_minutes: NEVER } });
    const [, movie] = await queuePermanent(w, [rows.content[0], rows.movies[0]]);
    // The process dies right after CyTube took the add, before the shadow marks it as a promo.
    const killed = jest
      .spyOn(QueueShadowService.prototype, 'upsertAfter')
      .mockRejectedValueOnce(new Error('process killed'));
    const logs = captureLogs();
    await w.poll();
    logs.restore();
    killed.mockRestore();
    expect(logs.lines().filter((l) => l.includes('ERROR') && l.includes('process killed'))).toHaveLength(1);
    expect((await w.playlist()).map((p) => p.media.id)).toHaveLength(3); // the clip is in, unmarked

    await w.restart();
    for (let i = 0; i < 3; i++) await w.poll();
    await w.ctl.flush();
    await w.poll();
    const list = await w.playlist();
    const clips = new Set(rows.clips.slice(0, 2).map((c) => c.manifest));
    expect(list.filter((p) => clips.has(p.media.id))).toHaveLength(1);
    const fp = list.find((p) => clips.has(p.media.id));
    expect(shadowOf(w).get(fp!.uid)).toMatchObject({
      is_promo: true,
      promo_type: 'feature_presentation',
      lead_in_for_uid: movie,
    });
  });

  it('shows the next decisions on the current queue with the chances behind them, and nothing during an event', async () => {
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 3), 'Idents');
    await insertPool(w, 'event', rows.clips.slice(3, 5), 'Coming up');
    await insertPool(w, 'feature_presentation', rows.clips.slice(5, 7), 'Feature');
    await settings({ general: { every_n_items: 2, every_m_minutes: NEVER } });
    await queuePermanent(w, [...rows.content.slice(0, 5), rows.movies[0]]);
    await w.poll();
    const res = await w.http().get('/admin/promos/preview').set('Cookie', w.cookie('boss', 3));
    expect(res.status).toBe(200);
    const steps = res.body.steps as {
      kind: string;
      promo_type: string;
      before_title: string;
      at_ms: number;
      why: string;
      chance: number | null;
      pool_name: string;
    }[];
    expect(steps).toHaveLength(10);
    // times only go forward, and the first general promo comes after two content items
    expect(steps.map((s) => s.at_ms)).toEqual([...steps.map((s) => s.at_ms)].sort((a, b) => a - b));
    const firstGeneral = steps.find((s) => s.kind === 'general');
    expect(firstGeneral?.before_title).toBe(rows.content[2].title);
    expect(firstGeneral?.why).toBe('due every 2 content items (2 since the last promo)');
    const fp = steps.find((s) => s.promo_type === 'feature_presentation');
    expect(fp).toMatchObject({ before_title: rows.movies[0].title, pool_name: 'Feature', chance: 1 });
    expect(fp?.why).toMatch(/^before a movie \(\d+ min, the threshold is 60 min\)$/);
    // the readout: channel identity 3/5, event 2/5 (mod shout-out has no pool)
    const types = res.body.readout.general.types as {
      type: string;
      probability: number;
      excluded: string | null;
    }[];
    expect(types.map((t) => [t.type, t.probability, t.excluded])).toEqual([
      ['channel_identity', 0.6, null],
      ['event', 0.4, null],
      ['mod_shoutout', 0, 'no playlist is tagged with this type'],
    ]);
    // the director has not changed anything by previewing
    expect(await shape(w)).toBe('CCCCCC');
    expect(await director(w).recentDecisions()).toEqual([]);

    const viewer = await w.http().get('/admin/promos/preview').set('Cookie', w.cookie('alice'));
    expect(viewer.status).toBe(403);
    await settings({ enabled: false });
    const off = await w.http().get('/admin/promos/preview').set('Cookie', w.cookie('boss', 3));
    expect(off.body).toMatchObject({ idle: 'disabled', steps: [] });
  });

  it('turning promos off applies at once even when the setting cannot be saved, and says so; other changes are refused', async () => {
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 3));
    await settings({ general: { every_n_items: 1, every_m_minutes: NEVER } });
    await queuePermanent(w, rows.content.slice(0, 3));
    const ds = w.t.get(DataSource);
    await refuseWrites(ds, true); // the database refuses writes
    const logs = captureLogs();
    const other = await putSettings(w, { general: { every_n_items: 3 } });
    const off = await putSettings(w, { enabled: false });
    logs.restore();
    await refuseWrites(ds, false);
    expect(logs.lines().filter((l) => l.includes('saving the promo settings failed'))).toHaveLength(2);

    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ source: 'unsaved', persisted: false, config: { enabled: false } });
    expect(off.body.warning).toMatch(/^Promos are off now, but the setting could not be saved/);
    expect(other.status).toBe(503);
    expect(other.body.detail).toMatch(/^The promo settings could not be saved, so nothing changed/);
    await w.poll();
    expect(await shape(w)).toBe('CCC'); // off: no promo
    const view = await w.http().get('/admin/promos/config').set('Cookie', w.cookie('boss', 3));
    expect(view.body).toMatchObject({ source: 'unsaved', persisted: false, config: { enabled: false } });

    // saving works again: the off state is saved for real
    const saved = await putSettings(w, { enabled: false });
    expect(saved.body).toMatchObject({ source: 'runtime', persisted: true, warning: null });
  });

  it('bad pool rules are 400 naming the pool and field in words; an empty pool is skipped with a visible reason', async () => {
    const idents = await insertPool(w, 'channel_identity', [], 'Station IDs');
    const bad = await putSettings(w, {
      pools: { [idents]: { weight: -1, window: { start: '25:00', end: '23:00', days: ['XX'] } } },
      general: { clip_cooldown_minutes: -5 },
      timezone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
    const messages = (bad.body.errors as { message: string }[]).map((e) => e.message).sort();
    expect(messages).toEqual([
      'Clip cooldown (minutes) must be at least 0',
      'Time zone must be a time zone name such as Europe/London or UTC',
      '“Station IDs” days must be day codes MO, TU, WE, TH, FR, SA, SU',
      '“Station IDs” hours from must be a time like 18:00',
      '“Station IDs” weight must be at least 0',
    ]);
    const unknown = await putSettings(w, { pools: { 9999: { weight: 2 } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toBe(
      'There is no promo pool with id 9999 (tag a playlist with a promo type first)',
    );

    await settings({ general: { every_n_items: 1, every_m_minutes: NEVER } });
    await queuePermanent(w, rows.content.slice(0, 3));
    await w.poll();
    await w.poll();
    expect(await shape(w)).toBe('CCC');
    const [skip] = await director(w).recentDecisions();
    expect(skip).toMatchObject({
      outcome: 'no_clip',
      error: 'no clip can be played (see why each pool is left out)',
    });
    expect(skip.detail?.pools).toEqual([
      expect.objectContaining({ name: 'Station IDs', excluded: 'the playlist is empty' }),
    ]);
  });

  it('an import to live is a bulk load: no decision until a poll after it, and the load is not counted as content', async () => {
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 3));
    await settings({ general: { every_n_items: 2, every_m_minutes: NEVER } });
    await queuePermanent(w, rows.content.slice(0, 2));
    await w.poll();
    const list = await w.savePlaylist('Block', rows.content.slice(2, 6));
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', latency_ms: 30 }]);
    const importing = w.t.get(PlaylistsService).importToLive(list);
    await new Promise((r) => setTimeout(r, 40));
    const during = director(w).tick(); // waits for the queue lock the import holds
    const [imported, round] = await Promise.all([importing, during]);
    await w.ctl.clearFaults();
    expect(imported).toMatchObject({ success: true, added: 4 });
    expect(round.idle).toBe('bulk_load'); // the shadow has not seen the load yet
    await w.poll(); // taken the moment the load ended: it may show it half done
    expect(await shape(w)).toBe('CCCCCC');
    w.clock.advance(1000);
    await w.poll(); // the first poll after the load re-baselines…
    await w.poll();
    expect(await shape(w)).toBe('CCCCCC'); // …and nothing was counted: no promo is due yet
    await finishCurrent(w);
    await w.poll();
    await finishCurrent(w);
    await w.poll();
    expect((await shape(w)).includes('G')).toBe(true);
  });
});

/** Make the database refuse every write to the settings (SQLite: query_only; PostgreSQL: a trigger). */
async function refuseWrites(ds: DataSource, refuse: boolean): Promise<void> {
  if (ds.options.type !== 'postgres') {
    await ds.query(`PRAGMA query_only = ${refuse ? 'ON' : 'OFF'}`);
    return;
  }
  if (refuse) {
    await ds.query(
      `CREATE OR REPLACE FUNCTION wq_test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'attempt to write a readonly database'; END $$ LANGUAGE plpgsql`,
    );
    await ds.query(
      `CREATE TRIGGER wq_test_refuse BEFORE INSERT OR UPDATE OR DELETE ON app_settings FOR EACH STATEMENT EXECUTE FUNCTION wq_test_refuse()`,
    );
  } else {
    await ds.query('DROP TRIGGER wq_test_refuse ON app_settings');
  }
}
