import { type MediaCmsFacets, type MediaCmsFacetsPage } from '../kryten/mediacms.client';
import { type FacetsPageFetcher, MediaFacetsReader } from './media-facets.reader';

function entry(n: number): MediaCmsFacets {
  return { friendly_token: `t${n}`, categories: [`cat${n % 3}`], tags: [`tag${n % 5}`, 'common'] };
}

/** A bulk list of these entries, `size` a page, recording the pages asked for. */
function bulk(entries: MediaCmsFacets[], fail?: { fromPage: number }) {
  const asked: number[] = [];
  const fetch: FacetsPageFetcher = (page, size) => {
    asked.push(page);
    if (fail && page >= fail.fromPage) return Promise.reject(new Error(`page ${page} failed`));
    const results = entries.slice((page - 1) * size, page * size);
    const answer: MediaCmsFacetsPage = { results, has_next: page * size < entries.length };
    return Promise.resolve(answer);
  };
  return { asked, fetch };
}

const tokens = (ns: number[]): string[] => ns.map((n) => `t${n}`);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('MediaFacetsReader', () => {
  it.each([
    // the bulk list in the list's order: each list page needs one bulk page at most
    ['the same order', range(1, 10), [tokens(range(1, 4)), tokens(range(5, 8))], [1, 2], 0],
    // the opposite order: the first list page needs the last bulk page, so the rest is held
    ['the opposite order', range(1, 10).reverse(), [tokens(range(1, 4))], [1, 2, 3], 6],
  ])(
    'reads only as far as the list needs when the bulk list is in %s',
    async (_name, order, asks, pagesAsked, heldAfter) => {
      const source = bulk(order.map(entry));
      const reader = new MediaFacetsReader(source.fetch, 4);
      for (const ask of asks) {
        const found = await reader.take(ask);
        expect([...found.keys()].sort()).toEqual([...ask].sort());
      }
      expect(source.asked).toEqual(pagesAsked);
      expect(reader.pagesRead).toBe(pagesAsked.length);
      expect(reader.heldCount).toBe(heldAfter);
    },
  );

  it('hands back exactly the names it read, each item once', async () => {
    const reader = new MediaFacetsReader(bulk(range(1, 6).map(entry)).fetch, 10);
    const found = await reader.take(['t4']);
    expect(found.get('t4')).toEqual({ categories: ['cat1'], tags: ['tag4', 'common'] });
    expect(reader.heldCount).toBe(5);
    expect((await reader.take(['t4'])).size).toBe(0);
  });

  it('keeps names of any script and items with no names at all', async () => {
    const odd: MediaCmsFacets[] = [
      { friendly_token: 'a', categories: [], tags: [] },
      { friendly_token: 'b', categories: ['Film noir', 'Ciné'], tags: ['日本', '🎬', ''] },
    ];
    const reader = new MediaFacetsReader(bulk(odd).fetch);
    const found = await reader.take(['a', 'b']);
    expect(found.get('a')).toEqual({ categories: [], tags: [] });
    expect(found.get('b')).toEqual({ categories: odd[1].categories, tags: odd[1].tags });
  });

  it('leaves out the items the bulk list never names, after reading it to the end', async () => {
    const source = bulk(range(1, 6).map(entry));
    const reader = new MediaFacetsReader(source.fetch, 4);
    const found = await reader.take(['t2', 'new-item']);
    expect([...found.keys()]).toEqual(['t2']);
    expect(source.asked).toEqual([1, 2]);
    // read to the end: a later miss asks for nothing more
    expect((await reader.take(['another'])).size).toBe(0);
    expect(source.asked).toEqual([1, 2]);
  });

  it('stops at an empty page even when it claims more follow', async () => {
    const asked: number[] = [];
    const reader = new MediaFacetsReader((page) => {
      asked.push(page);
      return Promise.resolve({ results: [], has_next: true });
    });
    expect((await reader.take(['t1'])).size).toBe(0);
    expect(asked).toEqual([1]);
  });

  it('keeps what it read before a page failed, and reads no further', async () => {
    const source = bulk(range(1, 12).map(entry), { fromPage: 2 });
    const reader = new MediaFacetsReader(source.fetch, 4);
    const found = await reader.take(tokens([1, 5, 9]));
    expect([...found.keys()]).toEqual(['t1']);
    expect(reader.failedWith).toEqual(new Error('page 2 failed'));
    expect(reader.pagesRead).toBe(1);
    expect([...(await reader.take(tokens([2, 6]))).keys()]).toEqual(['t2']);
    expect(source.asked).toEqual([1, 2]);
  });

  it('drops an item written during the run, whether its page was read yet or not', async () => {
    const source = bulk(range(1, 8).map(entry));
    const reader = new MediaFacetsReader(source.fetch, 4);
    await reader.take(['t1']);
    reader.forget('t2'); // read, held
    reader.forget('t7'); // not read yet
    const found = await reader.take(tokens([2, 3, 7, 8]));
    expect([...found.keys()].sort()).toEqual(['t3', 't8']);
    expect(reader.heldCount).toBe(3);
  });

  it('sends items past 65,535 distinct names to the detail call', async () => {
    const many: MediaCmsFacets[] = Array.from({ length: 70 }, (_, i) => ({
      friendly_token: `m${i}`,
      categories: [],
      tags: Array.from({ length: 1_000 }, (_, j) => `tag-${i}-${j}`),
    }));
    const reader = new MediaFacetsReader(bulk(many).fetch, 100);
    const found = await reader.take(many.map((m) => m.friendly_token));
    expect(found.size).toBe(65);
    expect(found.get('m64')?.tags).toEqual(many[64].tags);
    expect(found.has('m65')).toBe(false);
  });
});
