import { newShadowItem } from '../queue/queue.rules';
import { isLoopItem, jumpSkips } from './admin-queue.rules';

const item = (
  uid: number,
  extra: Parameters<typeof newShadowItem>[0] extends infer T ? Partial<T> : never = {},
) => newShadowItem({ uid, media_type: 'cm', media_id: `m${uid}`, temp: false, ...extra });

describe('jumpSkips', () => {
  const list = [item(1), item(2, { is_pay: true }), item(3), item(4, { is_pay: true }), item(5)];
  it.each([
    // [now playing, target, skipped uids]
    [1, 4, [2, 3]],
    [1, 2, []],
    [4, 2, [5, 1]], // round the loop
    [null, 3, [1, 2]],
    [1, 99, []],
  ])('from %s to %s skips %j', (np, target, skipped) => {
    expect(jumpSkips(list, np, target).map((i) => i.uid)).toEqual(skipped);
  });
});

describe('isLoopItem', () => {
  it.each([
    [item(1), true],
    [item(2, { temp: true }), false],
    [item(3, { is_pay: true }), false],
    [item(4, { is_promo: true }), false],
  ])('%#', (it, loop) => {
    expect(isLoopItem(it)).toBe(loop);
  });
});
