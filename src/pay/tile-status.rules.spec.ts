import type { QueuePreview } from '../kryten/api-gate.types';
import { newShadowItem } from '../queue/queue.rules';
import { tileStatus } from './tile-status.rules';

const item = (n: number, duration: number | null = 600) => ({
  token: `t${n}`,
  manifest_url: `m${n}`,
  duration_sec: duration,
});
const queued = (uid: number, n: number, eta: string | null = null) => ({
  ...newShadowItem({ uid, media_type: 'cm', media_id: `m${n}`, duration_sec: 600 }),
  estimated_start_at: eta ?? undefined,
});
const preview = (cost: number, pct = 0): QueuePreview => ({
  available: true,
  cost_z: cost,
  base_cost: Math.round(cost / (1 - pct / 100)),
  tier_label: '30-min Episode',
  discount_pct: pct,
  daily_remaining: 2,
  error_code: null,
});

describe('tileStatus', () => {
  const queue = [
    queued(10, 1),
    queued(11, 2, '2026-06-01T20:10:00.000Z'),
    queued(12, 3, '2026-06-01T20:20:00.000Z'),
  ];

  it.each([
    // [item, now-playing uid, expected playing, position, starts_at, blocked]
    [item(1), 10, true, null, null, 'It is playing now.'],
    [item(2), 10, false, 1, '2026-06-01T20:10:00.000Z', 'It is already in the queue.'],
    [item(3), 10, false, 2, '2026-06-01T20:20:00.000Z', 'It is already in the queue.'],
    [item(1), 12, false, 1, null, 'It is already in the queue.'], // the list loops
    [item(9), 10, false, null, null, null],
    [item(9, null), 10, false, null, null, 'Its length is unknown, so it can’t be queued.'],
    [item(9, 0), 10, false, null, null, 'Its length is unknown, so it can’t be queued.'],
  ])('%o with uid %s playing', (it, np, playing, position, startsAt, blocked) => {
    expect(tileStatus(it, queue, np, undefined, null)).toMatchObject({
      playing,
      position,
      starts_at: startsAt,
      blocked,
    });
  });

  it('nothing playing: positions from the top', () => {
    expect(tileStatus(item(3), queue, null, undefined, null).position).toBe(3);
  });

  it('carries the last play and the price for this viewer, discount included', () => {
    const s = tileStatus(item(9), queue, 10, Date.UTC(2026, 5, 1, 18, 0), preview(450, 10));
    expect(s).toMatchObject({
      played_at: '2026-06-01T18:00:00.000Z',
      price: { cost_z: 450, base_cost: 500, discount_pct: 10, tier_label: '30-min Episode' },
    });
    expect(tileStatus(item(9), queue, 10, undefined, null).price).toBeNull();
  });
});
