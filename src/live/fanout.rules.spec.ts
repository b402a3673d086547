import { createHash } from 'node:crypto';
import { FANOUT_SLICES, sliceRoom } from './fanout.rules';

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
