import { JobRunEntity } from '../../../src/jobs/entities/job-run.entity';
import { JobError } from '../../../src/jobs/jobs.exception';
import type { JobContext } from '../../../src/jobs/jobs.types';
import { deferred, type JobsWorld, startJobsWorld } from './jobs-harness';
import { captureLogs } from '../../support/logs';

describe('job manager: run lifecycle on SQLite (simulator, manual clock)', () => {
  let w: JobsWorld;

  beforeEach(async () => {
    w = await startJobsWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  function register(name: string, run: (ctx: JobContext) => Promise<unknown>, cancellable = true): void {
    w.jobs.registerJob({
      name,
      label: `Test ${name}`,
      cancellable,
      schema: [
        { name: 'count', type: 'int', label: 'Count', default: 3 },
        { name: 'mode', type: 'enum', label: 'Mode', default: 'a', options: ['a', 'b'] },
      ],
      run,
    });
  }

  it('completes with the result as detail, validated params and who triggered it', async () => {
    register('t_ok', (ctx) => Promise.resolve({ doubled: Number(ctx.params.count) * 2, run: ctx.runId }));
    const res = await w
      .api()
      .post('/admin/jobs/t_ok/run', { params: { count: '21', junk: 1 } })
      .expect(200);
    expect(res.body).toEqual({ success: true, started: true, run_id: expect.any(Number) });
    const id = res.body.run_id as number;
    await w.jobs.waitForRun(id);
    const row = await w.row(id);
    expect(row).toMatchObject({ job_name: 't_ok', status: 'completed', triggered_by: 'admin:boss' });
    expect(JSON.parse(row.params ?? '')).toEqual({ count: 21, mode: 'a' });
    expect(JSON.parse(row.detail ?? '')).toEqual({ doubled: 42, run: id });
    expect(row.started_at.toISOString()).toBe('2026-06-14T12:00:00.000Z');
    expect(row.ended_at?.toISOString()).toBe('2026-06-14T12:00:00.000Z');
    expect(w.events.map((e) => e.status)).toEqual(['running', 'completed']);

    // The body itself as params; an empty body means none (defaults).
    const bare = await w.api().post('/admin/jobs/t_ok/run', { count: 5, mode: 'b' }).expect(200);
    await w.jobs.waitForRun(bare.body.run_id as number);
    expect(JSON.parse((await w.row(bare.body.run_id as number)).params ?? '')).toEqual({
      count: 5,
      mode: 'b',
    });
    const none = await w.api().post('/admin/jobs/t_ok/run').expect(200);
    await w.jobs.waitForRun(none.body.run_id as number);
    expect(JSON.parse((await w.row(none.body.run_id as number)).detail ?? '')).toMatchObject({ doubled: 6 });

    const runs = await w.api().get('/admin/jobs/runs?job=t_ok&limit=2').expect(200);
    expect(runs.body.map((r: { id: number }) => r.id)).toEqual([none.body.run_id, bare.body.run_id]);
    expect(runs.body[0]).toMatchObject({ status: 'completed', detail: { doubled: 6 }, summary: '' });
    await w.api().get('/admin/jobs/runs?limit=abc').expect(400);
    await w.api().get('/admin/jobs/runs?limit=0').expect(400);
    const list = await w.api().get('/admin/jobs').expect(200);
    const entry = list.body.find((j: { name: string }) => j.name === 't_ok');
    expect(entry).toMatchObject({ label: 'Test t_ok', running: false, last_run: { id: none.body.run_id } });
  });

  it('400 with every validation message joined, 404 for an unknown job, nothing recorded', async () => {
    register('t_val', () => Promise.resolve(null));
    const bad = await w
      .api()
      .post('/admin/jobs/t_val/run', { params: { count: 'x', mode: 'c' } })
      .expect(400);
    expect(bad.body).toMatchObject({
      code: 'invalid_params',
      detail: 'Count is invalid; Mode must be one of [a, b]',
    });
    const unknown = await w.api().post('/admin/jobs/nope/run', {}).expect(404);
    expect(unknown.body.detail).toBe('Unknown job: nope');
    expect((await w.api().get('/admin/jobs/nope/schema').expect(404)).body.detail).toBe('Unknown job: nope');
    expect(await w.db.getRepository(JobRunEntity).count()).toBe(0);
  });

  it('records a JobError as its clean message and anything else as "Type: message"', async () => {
    register('t_expected', () => Promise.reject(new JobError('the widget is not configured')));
    register('t_crash', () => {
      const obj = null as unknown as { go(): Promise<void> };
      return obj.go();
    });
    const logs = captureLogs();
    const a = await w.jobs.start('t_expected', 'test', {});
    const b = await w.jobs.start('t_crash', 'test', {});
    await w.jobs.waitForRun(a.run_id);
    await w.jobs.waitForRun(b.run_id);
    logs.restore();
    // an unexpected failure is logged with its stack; an expected one (JobError) is not an error
    expect(logs.lines().some((l) => l.includes(`job t_crash #${b.run_id} failed`))).toBe(true);
    expect(logs.lines().some((l) => l.includes('t_expected') && l.includes('ERROR'))).toBe(false);
    expect(await w.row(a.run_id)).toMatchObject({
      status: 'failed',
      detail: JSON.stringify({ error: 'the widget is not configured' }),
    });
    const crash = await w.row(b.run_id);
    expect(crash.status).toBe('failed');
    expect(JSON.parse(crash.detail ?? '').error).toMatch(/^TypeError: Cannot read properties of null/);
    const runs = await w.api().get('/admin/jobs/runs').expect(200);
    expect(runs.body.find((r: { id: number }) => r.id === a.run_id).summary).toBe(
      'the widget is not configured',
    );
  });

  it('single-flight per job: a second start answers 409 already_running; another job runs alongside', async () => {
    const release = deferred();
    register('t_slow', async () => {
      await release.promise;
      return { ok: true };
    });
    register('t_other', () => Promise.resolve('other'));
    const first = await w.api().post('/admin/jobs/t_slow/run', {}).expect(200);
    const second = await w.api().post('/admin/jobs/t_slow/run', {}).expect(409);
    expect(second.body).toMatchObject({ code: 'already_running', reason: 'already_running' });
    const other = await w.api().post('/admin/jobs/t_other/run', {}).expect(200);
    await w.jobs.waitForRun(other.body.run_id as number);
    const list = await w.api().get('/admin/jobs').expect(200);
    expect(list.body.find((j: { name: string }) => j.name === 't_slow').running).toBe(true);
    release.resolve();
    await w.jobs.waitForRun(first.body.run_id as number);
    expect((await w.row(first.body.run_id as number)).status).toBe('completed');
    await w.api().post('/admin/jobs/t_slow/run', {}).expect(200);
    expect(await w.db.getRepository(JobRunEntity).countBy({ job_name: 't_slow' })).toBe(2);
  });

  it('cancel aborts the signal and the run ends cancelled; 409 when not running or not cancellable', async () => {
    const started = deferred();
    register('t_cancel', async (ctx) => {
      started.resolve();
      await new Promise<void>((resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
      });
    });
    const notRunning = await w.api().post('/admin/jobs/t_cancel/cancel').expect(409);
    expect(notRunning.body.code).toBe('not_running');
    const run = await w.api().post('/admin/jobs/t_cancel/run', {}).expect(200);
    await started.promise;
    w.clock.advance(5000);
    const cancel = await w.api().post('/admin/jobs/t_cancel/cancel').expect(200);
    expect(cancel.body).toEqual({ success: true, cancelling: true, run_id: run.body.run_id });
    await w.jobs.waitForRun(run.body.run_id as number);
    const row = await w.row(run.body.run_id as number);
    expect(row).toMatchObject({ status: 'cancelled', detail: null });
    expect(row.ended_at?.toISOString()).toBe('2026-06-14T12:00:05.000Z');

    const hold = deferred();
    register('t_stubborn', () => hold.promise, false);
    await w.api().post('/admin/jobs/t_stubborn/run', {}).expect(200);
    expect((await w.api().post('/admin/jobs/t_stubborn/cancel').expect(409)).body.code).toBe(
      'not_cancellable',
    );
    hold.resolve();
    await w.api().post('/admin/jobs/nope/cancel').expect(404);
  });

  it('writes progress into the running row live, throttled (latest value wins), and tells the admin room', async () => {
    const step = deferred();
    const next = deferred();
    const done = deferred();
    let ctxRef: JobContext | null = null;
    register('t_progress', async (ctx) => {
      ctxRef = ctx;
      await ctx.progress({ phase: 'scanned', scanned: 10 });
      step.resolve();
      await next.promise;
      await done.promise;
      return { scanned: 30 };
    });
    const run = await w.api().post('/admin/jobs/t_progress/run', {}).expect(200);
    const id = run.body.run_id as number;
    await step.promise;
    expect(JSON.parse((await w.row(id)).detail ?? '')).toEqual({ phase: 'scanned', scanned: 10 });
    expect((await w.row(id)).status).toBe('running');
    const live = await w.api().get('/admin/jobs/runs?job=t_progress').expect(200);
    expect(live.body[0]).toMatchObject({
      status: 'running',
      summary: 'Scanned 10 items, 0 to change',
      progress: { label: 'Scanned 10 items, 0 to change', percent: 0 },
    });

    // Within the gap: held back; after the gap the latest value is written.
    const ctx = ctxRef as unknown as JobContext;
    const held = ctx.progress({ scanned: 15 });
    expect(JSON.parse((await w.row(id)).detail ?? '')).toEqual({ phase: 'scanned', scanned: 10 });
    w.clock.advance(1000);
    await ctx.progress({ scanned: 20 });
    await held;
    expect(JSON.parse((await w.row(id)).detail ?? '')).toEqual({ scanned: 20 });
    next.resolve();
    done.resolve();
    await w.jobs.waitForRun(id);
    expect(JSON.parse((await w.row(id)).detail ?? '')).toEqual({ scanned: 30 });
    const mine = w.events.filter((e) => e.run_id === id);
    expect(mine.map((e) => e.status)).toEqual(['running', 'running', 'running', 'completed']);
    expect(mine[1].detail).toEqual({ phase: 'scanned', scanned: 10 });
    expect(mine[2].detail).toEqual({ scanned: 20 });
    expect(mine[3]).toMatchObject({ summary: 'scanned: 30', ended_at: '2026-06-14T12:00:01.000Z' });
  });

  it('marks runs left running by a previous process interrupted at start-up (ended_at = now)', async () => {
    const repo = w.db.getRepository(JobRunEntity);
    const left = await repo.save({
      job_name: 'catalog_sync',
      started_at: new Date(Date.UTC(2026, 5, 14, 11, 0)),
      status: 'running',
      triggered_by: 'admin:boss',
    });
    const done = await repo.save({
      job_name: 'catalog_sync',
      started_at: new Date(Date.UTC(2026, 5, 14, 10, 0)),
      ended_at: new Date(Date.UTC(2026, 5, 14, 10, 5)),
      status: 'completed',
    });
    w.clock.advance(60_000);
    await w.restart();
    const after = await w.db.getRepository(JobRunEntity).findOneByOrFail({ id: left.id });
    expect(after.status).toBe('interrupted');
    expect(after.ended_at?.toISOString()).toBe('2026-06-14T12:01:00.000Z');
    expect((await w.db.getRepository(JobRunEntity).findOneByOrFail({ id: done.id })).status).toBe(
      'completed',
    );
    const runs = await w.api().get('/admin/jobs/runs?job=catalog_sync').expect(200);
    expect(runs.body[0]).toMatchObject({
      id: left.id,
      status: 'interrupted',
      summary: 'Interrupted by a restart',
    });
  });
});
