import { delayBeforeItem, delayBeforeRetry } from './bulk-add.rules';

describe('bulk add throttle', () => {
  const throttle = { delaySec: 0.5, maxRetries: 2 };

  it('waits between items, not before the first', () => {
    expect([0, 1, 2].map((i) => delayBeforeItem(i, throttle))).toEqual([0, 500, 500]);
  });

  it('backs off linearly on a 422 and stops after max retries', () => {
    expect([1, 2, 3].map((a) => delayBeforeRetry(a, throttle))).toEqual([500, 1000, null]);
  });

  it('uses 0.5 s as the retry step when the add delay is 0', () => {
    expect(delayBeforeRetry(1, { delaySec: 0, maxRetries: 1 })).toBe(500);
    expect(delayBeforeItem(3, { delaySec: 0, maxRetries: 1 })).toBe(0);
  });
});
