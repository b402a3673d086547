import { newShadowItem } from '../queue/queue.rules';
import { playedLately, topCategories, upNext } from './home.rules';

describe('home rows', () => {
  it('top categories: the largest first, ties by name, empty ones left out', () => {
    const c = (id: number, name: string, cnt: number) => ({ id, name, slug: name.toLowerCase(), cnt });
    expect(
      topCategories([
        c(1, 'Drama', 5),
        c(2, 'Comedy', 9),
        c(3, 'Action', 5),
        c(4, 'Empty', 0),
        c(5, 'Horror', 2),
      ]).map((x) => x.name),
    ).toEqual(['Comedy', 'Action', 'Drama']);
  });

  it('up next: after now-playing in loop order, promos left out', () => {
    const item = (uid: number, promo = false) =>
      newShadowItem({ uid, media_type: 'cm', media_id: `m${uid}`, is_promo: promo });
    const list = [item(1), item(2, true), item(3), item(4), item(5)];
    expect(upNext(list, 3, 3).map((i) => i.uid)).toEqual([4, 5, 1]);
    expect(upNext(list, null, 2).map((i) => i.uid)).toEqual([1, 3]);
  });

  it('played lately: content manifests, newest first, capped', () => {
    const map = new Map([
      ['cm:a', 3],
      ['yt:b', 9],
      ['cm:c', 7],
      ['cm:d', 1],
    ]);
    expect(playedLately(map)).toEqual(['c', 'a', 'd']);
    expect(playedLately(map, 2)).toEqual(['c', 'a']);
  });
});
