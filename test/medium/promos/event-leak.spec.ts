import { ScheduleFireService } from '../../../src/schedules/schedule-fire.service';
import { type ScheduleWorld, startScheduleWorld } from '../schedules/schedule-support';
import { director, finishCurrent, insertPool, pick, putSettings, queuePermanent } from './promo-world';

/**
 * Guards the invariant behind the old service's worst promo bug (its 0.15.2 release): a promo
 * round that arrives while an immutable event is being fired must see the event once it holds the
 * queue lock and insert nothing into it. (This scenario does not yet make a promo due at the exact
 * moment of the fire, so it guards the fix rather than reproducing the race; the seeded
 * interleaving property test is still to come.)
 */
describe('promos never land inside an immutable event', () => {
  let w: ScheduleWorld;
  let rows: ReturnType<typeof pick>;

  beforeEach(async () => {
    w = await startScheduleWorld();
    rows = pick(w);
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 3));
    await insertPool(w, 'feature_presentation', rows.clips.slice(3, 5));
    // a general promo is due after every content item
    const res = await putSettings(w, { general: { every_n_items: 1, every_m_minutes: 100_000 } });
    if (res.status !== 200) throw new Error(`promo settings: ${res.status} ${JSON.stringify(res.body)}`);
  });
  afterEach(() => w.close());

  const inserted = async (): Promise<number> =>
    (await director(w).recentDecisions()).filter((d) => d.outcome === 'inserted').length;

  it('a promo round that waits on a slow fire sees the event and inserts nothing into it', async () => {
    await queuePermanent(w, rows.content.slice(0, 3));
    await w.poll();
    await finishCurrent(w); // one content item played: a promo is due at the next poll
    const eventRows = [...rows.content.slice(3, 5), ...rows.movies.slice(0, 2)];
    const event = await w.savePlaylist('Friday Night', eventRows, true);
    const created = await w
      .http()
      .post('/admin/schedules')
      .set('Cookie', w.admin())
      .send({
        playlist_id: event,
        label: 'Movie night',
        fire_at: new Date(w.clock.nowMs() + 3_600_000).toISOString(),
      });
    expect(created.status).toBe(201);

    const insertedBefore = await inserted();
    // slow adds: the fire holds the queue lock for a while
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', latency_ms: 60 }]);
    const fire = w.t.get(ScheduleFireService).fire(created.body.id as number, { manual: true });
    await new Promise((r) => setTimeout(r, 30)); // the fire has the lock and is clearing
    const round = director(w).tick(); // a poll's promo round arrives meanwhile
    const [fired, summary] = await Promise.all([fire, round]);
    expect(fired).toMatchObject({ success: true, added: eventRows.length });
    expect(summary.inserted).toBe(0);
    await w.ctl.clearFaults();

    // and for the rest of the event, poll after poll
    const eventMedia = new Set(eventRows.map((r) => r.manifest));
    for (let step = 0; step < eventRows.length - 1; step++) {
      await w.poll();
      const playlist = await w.playlist();
      expect(playlist.filter((p) => !eventMedia.has(p.media.id))).toEqual([]);
      await finishCurrent(w);
    }
    expect(await inserted()).toBe(insertedBefore);
  });
});
