import { backoffMs } from './retry-after';

describe('backoffMs (429 back-off)', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  it.each([
    [1, null, 1000],
    [2, null, 2000],
    [3, null, 4000],
    [4, null, null], // four tries in all
    [1, '3', 3000],
    [1, '0', 0],
    [1, '600', 60_000], // capped
    [2, 'Tue, 01 Dec 2026 12:00:05 GMT', 5000],
    [1, 'soon', 1000], // unreadable: the doubling
  ])('attempt %i with Retry-After %j waits %j ms', (attempt, header, expected) => {
    expect(backoffMs(attempt, header, now)).toBe(expected);
  });
});
