import { DataSource } from 'typeorm';
import { PlaylistScheduleEntity } from '../../../src/schedules/entities/playlist-schedule.entity';
import { type ScheduleWorld, startScheduleWorld } from './schedule-support';

describe('admin schedules CRUD', () => {
  let w: ScheduleWorld;
  let main: number;
  let reserved: number;
  let filler: number;

  beforeAll(async () => {
    w = await startScheduleWorld();
    w.config.pre_fire_lock_minutes_default = 20; // the app reads the shared config instance
    await w.ctl.addUser({ name: 'alice', rank: 1 });
    main = await w.savePlaylist('Main', []);
    reserved = await w.savePlaylist('Reserved', [], true);
    filler = await w.savePlaylist('Filler', []);
  });
  afterAll(() => w.close());

  const admin = (): string => w.admin();
  const http = () => w.http();
  const post = (body: Record<string, unknown>) =>
    http().post('/admin/schedules').set('Cookie', admin()).send(body);
  const row = (id: number) =>
    w.t.get(DataSource).getRepository(PlaylistScheduleEntity).findOneByOrFail({ id });

  it('creates with defaults from config; a naive fire_at is UTC', async () => {
    const res = await post({ playlist_id: main, label: 'Show', fire_at: '2026-06-20T20:00' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number) });
    const saved = await row(res.body.id);
    expect(saved).toMatchObject({
      label: 'Show',
      pre_fire_lock_minutes: 20,
      is_active: true,
      is_recurring: false,
      created_by: 'boss',
      fired_at: null,
    });
    expect(saved.fire_at.toISOString()).toBe('2026-06-20T20:00:00.000Z');
    const one = await http().get(`/admin/schedules/${res.body.id}`).set('Cookie', admin());
    expect(one.body).toMatchObject({
      playlist_name: 'Main',
      status: 'pending',
      fire_at: '2026-06-20T20:00:00.000Z',
    });
  });

  it.each([
    // fields named as the schedules page names them, each said once
    [{ label: 'x', fire_at: '2026-06-20T20:00Z' }, 'Playlist: choose one of the saved playlists'],
    [{ playlist_id: 1, fire_at: '2026-06-20T20:00Z' }, 'Label is required (at most 200 characters)'],
    [{ playlist_id: 1, label: 'x' }, 'Fire at is required (a date and time)'],
    [{ playlist_id: 1, label: 'x', fire_at: 'next friday' }, 'fire_at "next friday" is not an ISO 8601'],
    [
      { playlist_id: 1, label: 'x', fire_at: '2026-06-20T20:00Z', pre_fire_lock_minutes: -1 },
      'Pre-fire lock must be a whole number of minutes from 0 to 1440',
    ],
    [{ playlist_id: 1, label: 'x', fire_at: '2026-06-20T20:00Z', is_recurring: true }, 'needs an RRULE'],
    [
      { playlist_id: 1, label: 'x', fire_at: '2026-06-20T20:00Z', rrule: 'FREQ=HOURLY' },
      'Unsupported RRULE FREQ',
    ],
    [{ playlist_id: 999, label: 'x', fire_at: '2026-06-20T20:00Z' }, 'Playlist 999 not found'],
    [{ playlist_id: 1, label: '   ', fire_at: '2026-06-20T20:00Z' }, 'label must not be blank'],
  ])('refuses %j with a 400', async (body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const detail = [res.body.detail].flat().join(' ');
    expect(detail).toContain(message);
    expect(detail.split(message)).toHaveLength(2); // once
  });

  it('refuses an immutable or identical fallback playlist', async () => {
    const base = { playlist_id: main, label: 'x', fire_at: '2026-06-20T20:00Z' };
    expect((await post({ ...base, fallback_playlist_id: reserved })).body.detail).toBe(
      'The fallback playlist must be mutable (not reserved)',
    );
    expect((await post({ ...base, fallback_playlist_id: main })).status).toBe(400);
    expect((await post({ ...base, fallback_playlist_id: filler })).status).toBe(201);
  });

  it('updates only whitelisted keys, refuses null for required columns, re-arms from the DB', async () => {
    const { body } = await post({ playlist_id: main, label: 'Edit me', fire_at: '2026-06-20T20:00Z' });
    const put = await http().put(`/admin/schedules/${body.id}`).set('Cookie', admin()).send({
      label: 'Edited',
      fired_at: '2020-01-01T00:00Z',
      created_by: 'mallory',
      lock_disabled: true,
      id: 77,
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ success: true, armed: true });
    expect(await row(body.id)).toMatchObject({
      id: body.id,
      label: 'Edited',
      fired_at: null,
      created_by: 'boss',
      lock_disabled: false,
    });
    const bad = await http().put(`/admin/schedules/${body.id}`).set('Cookie', admin()).send({ label: null });
    expect(bad.status).toBe(400);
    const rrule = await http()
      .put(`/admin/schedules/${body.id}`)
      .set('Cookie', admin())
      .send({ is_recurring: true, rrule: 'FREQ=WEEKLY;BYDAY=FR;BYSECOND=30' });
    expect(rrule.status).toBe(400);
    expect(rrule.body.detail).toContain('BYSECOND');
    // RFC 5545 parts beyond the first subset are accepted (rrule computes them)
    const lastFriday = await http()
      .put(`/admin/schedules/${body.id}`)
      .set('Cookie', admin())
      .send({ is_recurring: true, rrule: 'FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1' });
    expect(lastFriday.status).toBe(200);
    expect(
      (
        await http()
          .put(`/admin/schedules/${body.id}`)
          .set('Cookie', admin())
          .send({ is_recurring: true, rrule: 'FREQ=WEEKLY;BYDAY=FR' })
      ).status,
    ).toBe(200);
  });

  it('404 for unknown schedules, 409 for Fire Now without a playlist, 400 for a bad id', async () => {
    for (const req of [
      http().get('/admin/schedules/9999'),
      http().put('/admin/schedules/9999').send({ label: 'x' }),
      http().delete('/admin/schedules/9999'),
      http().post('/admin/schedules/9999/fire'),
    ]) {
      const res = await req.set('Cookie', admin());
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe('Schedule not found');
    }
    expect((await http().get('/admin/schedules/abc').set('Cookie', admin())).status).toBe(400);
    const { body } = await post({ playlist_id: main, label: 'Orphan', fire_at: '2026-06-20T20:00Z' });
    await w.t
      .get(DataSource)
      .getRepository(PlaylistScheduleEntity)
      .update({ id: body.id }, { playlist_id: null });
    const fire = await http().post(`/admin/schedules/${body.id}/fire`).set('Cookie', admin());
    expect(fire.status).toBe(409);
    expect(fire.body.detail).toBe('Schedule has no playlist');
    expect((await http().delete(`/admin/schedules/${body.id}`).set('Cookie', admin())).body).toEqual({
      success: true,
    });
    expect((await http().get(`/admin/schedules/${body.id}`).set('Cookie', admin())).status).toBe(404);
  });

  it('lists by fire_at; next is the next active future one; viewers get 403 on admin routes', async () => {
    await post({ playlist_id: main, label: 'Early', fire_at: '2026-06-14T13:00Z' });
    const list = await http()
      .get('/admin/schedules')
      .set('Cookie', admin())
      .set('Accept', 'application/json');
    const times = (list.body as { fire_at: string }[]).map((s) => s.fire_at);
    expect(times).toEqual([...times].sort());
    const next = await http().get('/admin/schedules/next').set('Cookie', admin());
    expect(next.body).toMatchObject({ label: 'Early', status: 'pending' });
    const viewer = w.cookie('alice');
    expect((await http().get('/admin/schedules').set('Cookie', viewer)).status).toBe(403);
    expect((await http().get('/queue/next-schedule').set('Cookie', viewer)).body).toMatchObject({
      label: 'Early',
    });
    w.clock.advance(365 * 86_400_000);
    expect((await http().get('/queue/next-schedule').set('Cookie', w.cookie('alice'))).body).toEqual({});
    expect((await http().get('/admin/schedules/next').set('Cookie', admin())).body).toEqual({});
  });
});
