import { adminPayLock, eventLock, preFireLock, viewerPayLock, type ScheduleLockInput } from './locks.rules';

const now = new Date('2026-06-14T12:00:00Z');
const sched = (over: Partial<ScheduleLockInput> = {}): ScheduleLockInput => ({
  label: 'Friday Movie',
  fire_at: new Date('2026-06-14T12:10:00Z'),
  pre_fire_lock_minutes: 15,
  is_active: true,
  lock_disabled: false,
  ...over,
});

describe('lock rules', () => {
  it('locks inside [fire_at − lock minutes, fire_at) with the minutes left', () => {
    expect(preFireLock([sched()], now)).toEqual({
      locked: true,
      kind: 'pre_fire',
      message: 'Pay-to-play is closed: "Friday Movie" starts in 10 min. Try again after the event.',
    });
  });

  it('is open before the window, at fire time and after (no lock until midnight)', () => {
    expect(preFireLock([sched({ fire_at: new Date('2026-06-14T12:16:00Z') })], now).locked).toBe(false);
    expect(preFireLock([sched({ fire_at: now })], now).locked).toBe(false);
    expect(preFireLock([sched({ fire_at: new Date('2026-06-14T11:00:00Z') })], now).locked).toBe(false);
  });

  it('opens the window exactly at fire_at − minutes', () => {
    expect(preFireLock([sched({ fire_at: new Date('2026-06-14T12:15:00Z') })], now).locked).toBe(true);
  });

  it('ignores inactive, unlocked-by-admin and unparseable schedules', () => {
    expect(preFireLock([sched({ is_active: false })], now).locked).toBe(false);
    expect(preFireLock([sched({ lock_disabled: true })], now).locked).toBe(false);
    expect(preFireLock([sched({ fire_at: new Date('nope') })], now).locked).toBe(false);
  });

  it('falls back to "a scheduled event" for a blank label', () => {
    const lock = preFireLock([sched({ label: '' })], now);
    expect(lock.locked && lock.message).toContain('"a scheduled event" starts in 10 min');
  });

  it('has an event lock while an immutable event runs', () => {
    expect(eventLock({ is_immutable: true, lock_disabled: false, playlist_name: 'Marathon' })).toEqual({
      locked: true,
      kind: 'event',
      message:
        'Pay-to-play is closed during "Marathon". It reopens when the last scheduled item begins playing.',
    });
    expect(eventLock({ is_immutable: false, lock_disabled: false, playlist_name: 'M' }).locked).toBe(false);
    expect(eventLock({ is_immutable: true, lock_disabled: true, playlist_name: 'M' }).locked).toBe(false);
    expect(eventLock(null).locked).toBe(false);
  });

  it('blocks viewers by both locks (pre-fire wins), admins by pre-fire only', () => {
    const active = { is_immutable: true, lock_disabled: false, playlist_name: null };
    const both = viewerPayLock([sched()], active, now);
    expect(both.locked && both.kind).toBe('pre_fire');
    const ev = viewerPayLock([], active, now);
    expect(ev.locked && ev.message).toContain('"a scheduled event"');
    expect(adminPayLock([], now).locked).toBe(false);
    const admin = adminPayLock([sched()], now);
    expect(admin.locked && admin.message).toBe('Queue is locked: scheduled playlist firing soon');
  });
});
