import { SoloBus } from '@app/cluster/cluster-bus';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AdminRankService } from '@app/auth/admin-rank.service';
import { AuthRepository } from '@app/auth/auth.repository';
import { SessionRevocations } from '@app/auth/session-revocations.service';
import { ManualClock } from '@app/common/clock';
import { openDatabase } from '@app/database/database.module';
import { ApiGateClient } from '@app/kryten/api-gate.client';
import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { DataSource } from 'typeorm';
import { freshDatabase } from '../../support/db';

const T0 = Date.UTC(2026, 0, 1, 23, 58, 0); // near midnight: text comparisons of times would go wrong here

describe('AuthRepository on SQLite: real time comparisons', () => {
  let db: DataSource;
  let repo: AuthRepository;

  beforeEach(async () => {
    db = await openDatabase(freshDatabase(), () => undefined);
    repo = new AuthRepository(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('cleans up a code the millisecond it expires, not before, across midnight', async () => {
    await repo.insertOtp('a', 'h1', new Date(T0), new Date(T0 + 5 * 60_000));
    expect(await repo.deleteSpentOtps(new Date(T0 + 5 * 60_000 - 1))).toBe(0);
    expect(await repo.deleteSpentOtps(new Date(T0 + 5 * 60_000))).toBe(1);
  });

  it('reads dates back as the same instants, newest first, unused only', async () => {
    await repo.insertOtp('a', 'old', new Date(T0), new Date(T0 + 300_000));
    const newest = await repo.insertOtp('a', 'new', new Date(T0 + 1), new Date(T0 + 300_001));
    await repo.insertOtp('b', 'other', new Date(T0), new Date(T0 + 300_000));
    const rows = await repo.newestUnused('a', 5);
    expect(rows.map((r) => r.code_hash)).toEqual(['new', 'old']);
    expect(rows[0].expires_at.getTime()).toBe(T0 + 300_001);
    expect(await repo.claim(newest.id)).toBe(true);
    expect(await repo.claim(newest.id)).toBe(false); // single use, even when two verifies race
    expect((await repo.newestUnused('a', 5)).map((r) => r.code_hash)).toEqual(['old']);
  });

  it('burns every unused code of a name in any letter case, and no one else’s', async () => {
    await repo.insertOtp('TacoBelmont', 'x', new Date(T0), new Date(T0 + 300_000));
    await repo.insertOtp('tacobelmont', 'y', new Date(T0), new Date(T0 + 300_000));
    await repo.insertOtp('Other', 'z', new Date(T0), new Date(T0 + 300_000));
    expect(await repo.burnAll('TACOBELMONT')).toBe(2);
    expect(await repo.newestUnused('Other', 5)).toHaveLength(1);
  });

  it('revocations persist and are reloaded; expired ones are pruned', async () => {
    const clock = new ManualClock(T0);
    const first = new SessionRevocations(repo, clock, new EventEmitter2(), new SoloBus());
    await first.revoke({ jti: 'j1', exp: Math.floor(T0 / 1000) + 3600 });
    await first.revoke({ jti: 'j2', exp: Math.floor(T0 / 1000) + 60 });
    const reloaded = new SessionRevocations(repo, clock, new EventEmitter2(), new SoloBus());
    await reloaded.onModuleInit();
    expect(reloaded.isRevoked('j1')).toBe(true);
    expect(reloaded.isRevoked('j2')).toBe(true);
    expect(reloaded.isRevoked('j3')).toBe(false);
    clock.advance(60_000);
    expect(await reloaded.prune(clock.now())).toBe(1);
    expect(reloaded.isRevoked('j2')).toBe(false);
    expect(reloaded.isRevoked('j1')).toBe(true);
  });
});

describe('AdminRankService against the simulator', () => {
  let sim: RunningSimulator;
  let ctl: SimControl;
  let gate: ApiGateClient;
  let clock: ManualClock;
  let ranks: AdminRankService;

  beforeEach(async () => {
    sim = await startSimulator({ seed: 5, catalogSize: 5 });
    ctl = new SimControl(sim.url);
    gate = new ApiGateClient({ baseUrl: sim.url, token: sim.apiToken });
    clock = new ManualClock(T0);
    ranks = new AdminRankService(gate, clock, new EventEmitter2());
    await ctl.addUser({ name: 'Boss', rank: 3 });
  });
  afterEach(async () => {
    await gate.close();
    await sim.close();
  });

  it('asks api-gate at most once per 60 s per user, even for concurrent admin requests', async () => {
    const lookups = jest.spyOn(gate, 'getUser');
    await Promise.all([ranks.confirmAdmin('Boss'), ranks.confirmAdmin('Boss'), ranks.confirmAdmin('Boss')]);
    expect(lookups).toHaveBeenCalledTimes(1);
    await ctl.updateUser('Boss', { rank: 1 });
    clock.advance(59_999);
    await expect(ranks.confirmAdmin('Boss')).resolves.toBe(3);
    clock.advance(1);
    await expect(ranks.confirmAdmin('Boss')).rejects.toMatchObject({ status: 403, code: 'admin_required' });
    expect(lookups).toHaveBeenCalledTimes(2);
    expect(ranks.lastKnown('Boss')).toBe(1);
  });

  it('a promotion counts at once on the next check (owner rank 4 is an admin too)', async () => {
    await ctl.addUser({ name: 'Owner', rank: 4 });
    await expect(ranks.confirmAdmin('Owner')).resolves.toBe(4);
    await ctl.addUser({ name: 'Mod', rank: 2 });
    await expect(ranks.confirmAdmin('Mod')).rejects.toMatchObject({ status: 403 });
  });

  it('an api-gate failure with no known rank is 503, not 403', async () => {
    await ctl.setFaults([{ path: '/api/v1/state/user', status: 500 }]);
    await expect(ranks.confirmAdmin('Boss')).rejects.toMatchObject({
      status: 503,
      code: 'admin_rank_unavailable',
    });
  });
});
