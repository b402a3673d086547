import { PromiseCache } from './promise-cache';

describe('PromiseCache', () => {
  it('computes a key once and shares the answer, in flight and after', async () => {
    const cache = new PromiseCache<number>({ max: 10 });
    let calls = 0;
    let release!: (n: number) => void;
    const compute = (): Promise<number> => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = cache.get('a', compute);
    const second = cache.get('a', compute);
    release(7);
    expect(await first).toBe(7);
    expect(await second).toBe(7);
    expect(await cache.get('a', compute)).toBe(7);
    expect(calls).toBe(1);
  });

  it('forgets a failed answer, so the next asker computes again', async () => {
    const cache = new PromiseCache<string>({ max: 10 });
    await expect(cache.get('k', () => Promise.reject(new Error('database away')))).rejects.toThrow(
      'database away',
    );
    expect(await cache.get('k', () => Promise.resolve('back'))).toBe('back');
  });

  it('keeps at most `max` keys, dropping the least recently used', async () => {
    const cache = new PromiseCache<string>({ max: 2 });
    await cache.get('a', () => Promise.resolve('A'));
    await cache.get('b', () => Promise.resolve('B'));
    await cache.get('a', () => Promise.resolve('unused'));
    await cache.get('c', () => Promise.resolve('C'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', () => Promise.resolve('again'))).toBe('A');
    expect(await cache.get('b', () => Promise.resolve('B2'))).toBe('B2');
  });

  it('drops every entry when the generation moves, and keeps them while it stays', async () => {
    const cache = new PromiseCache<string>({ max: 10 });
    cache.keepOnly('v1');
    await cache.get('a', () => Promise.resolve('A1'));
    await cache.get('b', () => Promise.resolve('B1'));
    cache.keepOnly('v1');
    expect(cache.size).toBe(2);
    expect(await cache.get('a', () => Promise.resolve('unused'))).toBe('A1');
    cache.keepOnly('v2');
    expect(cache.size).toBe(0);
    expect(await cache.get('a', () => Promise.resolve('A2'))).toBe('A2');
  });

  it('still answers the askers of a computation that was in flight when the generation moved', async () => {
    const cache = new PromiseCache<string>({ max: 10 });
    cache.keepOnly(1);
    let release!: (s: string) => void;
    const pending = cache.get('a', () => new Promise<string>((resolve) => (release = resolve)));
    cache.keepOnly(2);
    release('old');
    expect(await pending).toBe('old');
    expect(await cache.get('a', () => Promise.resolve('new'))).toBe('new');
  });
});
