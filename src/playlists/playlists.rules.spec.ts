import { hidesItems, nextPosition, visibilityChanged, withPositions } from './playlists.rules';

describe('playlist rules', () => {
  it('reserved playlists and promo pools hide their items', () => {
    expect(hidesItems({ is_immutable: false, promo_type: null })).toBe(false);
    expect(hidesItems({ is_immutable: true, promo_type: null })).toBe(true);
    expect(hidesItems({ is_immutable: false, promo_type: 'event' })).toBe(true);
  });

  it('visibility changes when either flag moves', () => {
    const plain = { is_immutable: false, promo_type: null };
    expect(visibilityChanged(plain, { ...plain })).toBe(false);
    expect(visibilityChanged(plain, { ...plain, is_immutable: true })).toBe(true);
    expect(visibilityChanged(plain, { ...plain, promo_type: 'event' })).toBe(true);
    expect(
      visibilityChanged(
        { is_immutable: false, promo_type: 'event' },
        { is_immutable: false, promo_type: 'mod_shoutout' },
      ),
    ).toBe(true);
  });

  it('positions are 0..n-1 in order', () => {
    expect(withPositions([{ a: 'x' }, { a: 'y' }])).toEqual([
      { a: 'x', position: 0 },
      { a: 'y', position: 1 },
    ]);
  });

  it('appends after the highest position', () => {
    expect(nextPosition(null)).toBe(0);
    expect(nextPosition(undefined)).toBe(0);
    expect(nextPosition(0)).toBe(1);
    expect(nextPosition(7)).toBe(8);
  });
});
