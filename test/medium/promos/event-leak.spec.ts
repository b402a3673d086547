import { Sleeper } from '../../../src/common/sleeper';
import { ScheduleFireService } from '../../../src/schedules/schedule-fire.service';
import { type ScheduleWorld, startScheduleWorld } from '../schedules/schedule-support';
import { director, finishCurrent, insertPool, pick, putSettings, queuePermanent } from './promo-world';

/**
 * The old service's worst promo bug (its 0.15.2 release), end to end over HTTP: a promo round that
 * arrives while an immutable event is being fired must see the event once it holds the queue lock
 * and insert nothing into it — here as a slow fire, and as a replay of the incident itself. The
 * seeded interleaving property test (interleavings.spec.ts) covers the races at large.
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

  it('replays the incident: clear, first add, a poll, 42 more adds over 49 s — zero promos inside the event', async () => {
    await queuePermanent(w, rows.content.slice(0, 3));
    await w.poll();
    await finishCurrent(w); // a general promo is due at the next poll
    const used = new Set([...rows.clips.slice(0, 5), ...rows.content.slice(0, 3)].map((r) => r.manifest));
    const eventRows = w.items.filter((r) => !used.has(r.manifest) && r.duration > 300).slice(0, 43);
    expect(eventRows).toHaveLength(43);
    const event = await w.savePlaylist('Saturday Night', eventRows, true);
    const created = await w
      .http()
      .post('/admin/schedules')
      .set('Cookie', w.admin())
      .send({
        playlist_id: event,
        label: 'Saturday Night',
        fire_at: new Date(w.clock.nowMs() + 3_600_000).toISOString(),
      });
    expect(created.status).toBe(201);

    // The throttle between adds: 49 s in all on both clocks, with the poller running meanwhile
    // (a poll right after the first add, then every few seconds), its promo rounds not awaited.
    const polls: Promise<unknown>[] = [];
    let calls = 0;
    const throttle = jest.spyOn(w.t.get(Sleeper), 'sleep').mockImplementation(async () => {
      calls++;
      if (calls === 1) return; // before the first add
      const seconds = calls % 6 === 0 ? 2 : 1;
      await w.ctl.advance(seconds);
      w.clock.advance(seconds * 1000);
      if (calls === 2 || calls % 3 === 0) polls.push(w.poll());
    });
    const before = await inserted();
    const fired = await w.t.get(ScheduleFireService).fire(created.body.id as number, { manual: true });
    throttle.mockRestore();
    await Promise.all(polls);
    expect(fired).toMatchObject({ success: true, added: 43, errors: 0 });
    expect(calls).toBe(43);
    expect(w.clock.nowMs() - Date.parse(fired.estimated_end_at as string)).toBeLessThan(0);

    const eventMedia = new Set(eventRows.map((r) => r.manifest));
    const promoInside = async (): Promise<string[]> => {
      const ids = (await w.playlist()).map((p) => p.media.id);
      const at = ids.flatMap((id, i) => (eventMedia.has(id) ? [i] : []));
      return at.length < 2 ? [] : ids.slice(at[0], at[at.length - 1]).filter((id) => !eventMedia.has(id));
    };
    expect(await promoInside()).toEqual([]);
    for (let step = 0; step < 6; step++) {
      await w.poll();
      await w.poll();
      expect(await promoInside()).toEqual([]);
      await finishCurrent(w);
    }
    expect(await inserted()).toBe(before);
  });
});
