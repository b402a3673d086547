import { createHash } from 'node:crypto';
import { SeededRandom } from '../common/random';
import { FANOUT_SLICES, HEARTBEAT_SPREAD, heartbeatInterval, sliceRoom } from './fanout.rules';

describe('slice rooms: a broadcast goes out a slice of the sockets at a time', () => {
  it('puts a socket in the same slice every time', () => {
    expect(sliceRoom('abc123XYZ')).toBe(sliceRoom('abc123XYZ'));
    expect(sliceRoom('abc123XYZ')).toMatch(/^slice:\d+$/);
  });

  it('spreads 20,000 Socket.IO-like ids evenly over every slice', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      // Socket.IO ids are 20 characters of base64url.
      const id = createHash('sha256').update(`socket ${i}`).digest('base64url').slice(0, 20);
      counts.set(sliceRoom(id), (counts.get(sliceRoom(id)) ?? 0) + 1);
    }
    expect(counts.size).toBe(FANOUT_SLICES);
    const even = 20_000 / FANOUT_SLICES;
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(even * 0.7);
      expect(count).toBeLessThan(even * 1.3);
    }
  });
});

describe('heartbeat intervals: sockets that connected together ping apart', () => {
  it('never later than the configured interval, never earlier than its spread allows', () => {
    expect(heartbeatInterval(25_000, () => 0)).toBe(25_000);
    expect(heartbeatInterval(25_000, () => 0.999999)).toBe(
      Math.round(25_000 * (1 - HEARTBEAT_SPREAD * 0.999999)),
    );
    expect(heartbeatInterval(25_000, () => 0.5)).toBe(22_500);
  });

  it('spreads 1,000 sockets over the whole window, not onto one instant', () => {
    const random = new SeededRandom(7);
    const intervals = Array.from({ length: 1000 }, () => heartbeatInterval(25_000, () => random.next()));
    const lowest = 25_000 * (1 - HEARTBEAT_SPREAD);
    expect(Math.min(...intervals)).toBeGreaterThanOrEqual(lowest);
    expect(Math.max(...intervals)).toBeLessThanOrEqual(25_000);
    // Ten equal bands of the window each hold about a tenth of them.
    const bands = new Array<number>(10).fill(0);
    for (const ms of intervals) bands[Math.min(9, Math.floor(((ms - lowest) / (25_000 - lowest)) * 10))]++;
    for (const count of bands) expect(count).toBeGreaterThan(60);
  });
});
