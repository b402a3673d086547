import { newShadowItem } from '../queue/queue.rules';
import type { ShadowItem } from '../queue/queue-shadow.types';
import {
  cancellationMessage,
  classifyPresence,
  decideCycle,
  type GraceEntry,
  graceLeftSeconds,
  type Observation,
  pendingPaidByOwner,
  type PresenceTriggers,
} from './presence.rules';

function item(uid: number, patch: Partial<ShadowItem> = {}): ShadowItem {
  return newShadowItem({
    uid,
    position: uid,
    title: `Item ${uid}`,
    media_type: 'cm',
    media_id: `m${uid}`,
    ...patch,
  });
}
const paid = (uid: number, owner: string): ShadowItem =>
  item(uid, { is_pay: true, paid_by: owner, tier: 'queue', z_cost: 500, request_id: `r${uid}` });

const ON_LEAVE: PresenceTriggers = { on_leave: true, on_afk: false, grace_seconds: 60 };
const BOTH: PresenceTriggers = { on_leave: true, on_afk: true, grace_seconds: 60 };

function cycle(
  prev: Map<string, GraceEntry>,
  obs: Record<string, Observation>,
  triggers: PresenceTriggers,
  nowMs: number,
): ReturnType<typeof decideCycle> {
  return decideCycle(prev, new Map(Object.entries(obs)), triggers, nowMs);
}

describe('classifyPresence', () => {
  it('calls an offline answer gone, meta.afk AFK and anything else present', () => {
    expect(classifyPresence({ online: false, username: 'a', rank: 0 })).toBe('gone');
    expect(classifyPresence(null)).toBe('gone');
    expect(classifyPresence({ online: true, name: 'a', rank: 1, afk: true, meta: { afk: true } })).toBe(
      'afk',
    );
    expect(classifyPresence({ online: true, name: 'a', rank: 1, afk: false, meta: {} })).toBe('present');
  });
});

describe('pendingPaidByOwner', () => {
  it('groups paid items by owner and leaves out free, promo, scheduled and now-playing items', () => {
    const items = [
      paid(10, 'carol'), // now playing
      paid(11, 'alice'),
      item(12), // free
      paid(13, 'alice'),
      { ...paid(14, 'bob'), is_promo: true },
      { ...paid(15, 'bob'), schedule_id: 3 },
      item(16, { tier: 'admin' }),
    ];
    const owners = pendingPaidByOwner(items, 10);
    expect([...owners.keys()]).toEqual(['alice']);
    expect(owners.get('alice')?.map((i) => i.uid)).toEqual([11, 13]);
  });
});

describe('decideCycle (the seed test_presence_refund.py scenarios)', () => {
  it('first sighting of a gone owner starts the clock; after grace the re-check cancels', () => {
    const first = cycle(new Map(), { alice: 'gone' }, ON_LEAVE, 0);
    expect(first.cancel).toEqual([]);
    expect(first.tracking.get('alice')).toEqual({ sinceMs: 0, reason: 'owner_left' });
    const midway = cycle(first.tracking, { alice: 'gone' }, ON_LEAVE, 59_000);
    expect(midway.cancel).toEqual([]);
    const after = cycle(midway.tracking, { alice: 'gone' }, ON_LEAVE, 60_000);
    expect(after.cancel).toEqual([{ owner: 'alice', reason: 'owner_left' }]);
    expect(after.tracking.has('alice')).toBe(false);
  });

  it('an AFK owner who returns within grace keeps the item and the clock is cleared', () => {
    const first = cycle(new Map(), { bob: 'afk' }, BOTH, 0);
    expect(first.tracking.has('bob')).toBe(true);
    const back = cycle(first.tracking, { bob: 'present' }, BOTH, 30_000);
    expect(back.cancel).toEqual([]);
    expect(back.tracking.has('bob')).toBe(false);
  });

  it('a failed lookup is inconclusive: it neither starts nor clears a clock', () => {
    const none = cycle(new Map(), { dave: 'inconclusive' }, ON_LEAVE, 0);
    expect(none.tracking.has('dave')).toBe(false);
    const started = cycle(none.tracking, { dave: 'gone' }, ON_LEAVE, 1_000);
    const kept = cycle(started.tracking, { dave: 'inconclusive' }, ON_LEAVE, 80_000);
    expect(kept.cancel).toEqual([]);
    expect(kept.tracking.get('dave')).toEqual({ sinceMs: 1_000, reason: 'owner_left' });
    expect(cycle(kept.tracking, { dave: 'gone' }, ON_LEAVE, 81_000).cancel).toEqual([
      { owner: 'dave', reason: 'owner_left' },
    ]);
  });

  it('ignores AFK when on_afk is off and leaving when on_leave is off', () => {
    const afkOff = cycle(
      cycle(new Map(), { frank: 'afk' }, ON_LEAVE, 0).tracking,
      { frank: 'afk' },
      ON_LEAVE,
      61_000,
    );
    expect(afkOff.cancel).toEqual([]);
    expect(afkOff.tracking.size).toBe(0);
    const leaveOff: PresenceTriggers = { on_leave: false, on_afk: true, grace_seconds: 0 };
    const gone = cycle(
      cycle(new Map(), { gina: 'gone' }, leaveOff, 0).tracking,
      { gina: 'gone' },
      leaveOff,
      1,
    );
    expect(gone.cancel).toEqual([]);
    expect(gone.tracking.size).toBe(0);
  });

  it('an owner who recovers part way and leaves again gets a fresh full grace period', () => {
    const gone = cycle(new Map(), { hank: 'gone' }, ON_LEAVE, 0);
    const back = cycle(gone.tracking, { hank: 'present' }, ON_LEAVE, 40_000);
    const goneAgain = cycle(back.tracking, { hank: 'gone' }, ON_LEAVE, 50_000);
    expect(cycle(goneAgain.tracking, { hank: 'gone' }, ON_LEAVE, 100_000).cancel).toEqual([]);
    expect(cycle(goneAgain.tracking, { hank: 'gone' }, ON_LEAVE, 110_000).cancel).toEqual([
      { owner: 'hank', reason: 'owner_left' },
    ]);
  });

  it('drops clocks of owners who no longer have pending paid items', () => {
    const started = cycle(new Map(), { ivy: 'gone' }, ON_LEAVE, 0);
    expect(cycle(started.tracking, {}, ON_LEAVE, 10_000).tracking.size).toBe(0);
  });

  it('cancels with the reason seen at the re-check (AFK, then gone)', () => {
    const afk = cycle(new Map(), { jo: 'afk' }, BOTH, 0);
    expect(cycle(afk.tracking, { jo: 'gone' }, BOTH, 60_000).cancel).toEqual([
      { owner: 'jo', reason: 'owner_left' },
    ]);
  });
});

describe('graceLeftSeconds and cancellationMessage', () => {
  it('counts down and never goes negative', () => {
    expect(graceLeftSeconds({ sinceMs: 0, reason: 'owner_left' }, 60, 15_000)).toBe(45);
    expect(graceLeftSeconds({ sinceMs: 0, reason: 'owner_left' }, 60, 90_000)).toBe(0);
  });

  it('names the title, the reason and the Z returned', () => {
    expect(cancellationMessage('Night of the Living Dead', 'owner_left', 1500)).toBe(
      '"Night of the Living Dead" was removed from the queue because you left the channel; 1,500 Z were refunded. You can queue it again any time.',
    );
    expect(cancellationMessage('X', 'owner_afk', null)).toContain(
      'because you were AFK; your Z were refunded',
    );
    expect(cancellationMessage('t'.repeat(400), 'owner_afk', 10).length).toBeLessThanOrEqual(320);
  });
});
