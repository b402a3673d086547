import { inflateSync } from 'node:zlib';
import { generateCatalog, HIDDEN_CATEGORIES, HIDDEN_TAGS } from './catalog-generator';
import { MediaCmsStore, manifestToken, PAGE_SIZE } from './mediacms';
import { artFor } from './png';

const START = Date.UTC(2026, 5, 14, 12);

describe('catalog generator', () => {
  it('is deterministic from the seed', () => {
    expect(generateCatalog(7, 300, START)).toEqual(generateCatalog(7, 300, START));
    const other = generateCatalog(8, 300, START);
    expect(other.map((i) => i.friendly_token)).not.toEqual(
      generateCatalog(7, 300, START).map((i) => i.friendly_token),
    );
  });

  it('covers the awkward shapes a sync must survive', () => {
    const items = generateCatalog(3, 2000, START);
    expect(items).toHaveLength(2000);
    expect(new Set(items.map((i) => i.friendly_token)).size).toBe(2000);
    expect(items.every((i) => /^[A-Za-z0-9]{9}$/.test(i.friendly_token))).toBe(true);
    expect(items.every((i) => i.title.length <= 100)).toBe(true);
    expect(items.some((i) => i.duration >= 3600)).toBe(true);
    expect(items.some((i) => i.duration > 0 && i.duration < 300)).toBe(true);
    expect(items.some((i) => i.duration === 0)).toBe(true);
    expect(items.some((i) => i.categories.some((c) => HIDDEN_CATEGORIES.includes(c)))).toBe(true);
    expect(items.some((i) => i.tags.some((t) => HIDDEN_TAGS.includes(t)))).toBe(true);
    expect(items.some((i) => i.description.includes('\n'))).toBe(true);
    expect(items.some((i) => /[^\x20-\x7e]/.test(i.title))).toBe(true);
    expect(items.some((i) => i.title.includes('"'))).toBe(true);
    expect(items.some((i) => !i.has_thumbnail)).toBe(true);
    // newest first
    expect(items[0].add_date >= items[1].add_date).toBe(true);
  });

  it('generates large catalogs quickly (100,000 items take about 1 s outside jest)', () => {
    const t0 = Date.now();
    expect(generateCatalog(1, 20_000, START)).toHaveLength(20_000);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('MediaCmsStore', () => {
  const origin = 'http://127.0.0.1:9';
  const list = (store: MediaCmsStore, query = '') =>
    store.list(new URL(`${origin}/api/v1/manage_media${query}`), origin);

  it('pages 50 at a time with absolute next/previous URLs that keep the query', () => {
    const store = new MediaCmsStore(generateCatalog(1, 120, START), () => START);
    const first = list(store, '?page_size=50');
    if (!first.ok) throw new Error('expected a page');
    expect(first.body.count).toBe(120);
    expect(first.body.results).toHaveLength(PAGE_SIZE);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toBe(`${origin}/api/v1/manage_media?page_size=50&page=2`);
    const last = list(store, '?page_size=50&page=3');
    if (!last.ok) throw new Error('expected a page');
    expect(last.body.results).toHaveLength(20);
    expect(last.body.next).toBeNull();
    expect(list(store, '?page=4')).toEqual({ ok: false, status: 404, body: { detail: 'Invalid page.' } });
  });

  it('serves absolute thumbnails in the list and relative ones in the detail', () => {
    const items = generateCatalog(1, 50, START);
    const store = new MediaCmsStore(items, () => START);
    const item = items.find((i) => i.has_thumbnail) ?? items[0];
    expect(store.listItem(item, origin).thumbnail_url).toBe(
      `${origin}/media/original/thumbnails/${item.friendly_token}.png`,
    );
    const detail = store.detail(item, origin);
    expect(detail.thumbnail_url).toBe(`/media/original/thumbnails/${item.friendly_token}.png`);
    expect(detail).not.toHaveProperty('friendly_token');
    expect(detail.categories_info).toEqual(
      item.categories.map((title) => expect.objectContaining({ title })),
    );
  });

  it('sorts by title ascending when asked', () => {
    const store = new MediaCmsStore(generateCatalog(2, 80, START), () => START);
    const page = list(store, '?sort_by=title&ordering=asc');
    if (!page.ok) throw new Error('expected a page');
    const titles = page.body.results.map((r) => (r as { title: string }).title);
    expect(titles).toEqual([...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('reassigns the owner on a tag write, changes owners back, and deletes items', () => {
    const items = generateCatalog(1, 10, START);
    const store = new MediaCmsStore(items, () => START);
    const token = items[0].friendly_token;
    store.setTags(token, ['a', ' b ', '', 'a']);
    expect(store.get(token)).toMatchObject({ tags: ['a', 'b'], user: 'sim-editor' });
    expect(store.changeOwner([token, 'missing'], 'dropsugar')).toBe(1);
    expect(store.get(token)?.user).toBe('dropsugar');
    expect(store.remove(token)).toBe(true);
    expect(store.get(token)).toBeUndefined();
    const page = list(store);
    if (!page.ok) throw new Error('expected a page');
    expect(page.body.count).toBe(9);
  });

  it('parses manifest tokens', () => {
    expect(manifestToken('https://x/api/v1/media/cytube/AbC123xyZ.json?format=json')).toBe('AbC123xyZ');
    expect(manifestToken('https://x/view?m=AbC123xyZ')).toBeNull();
  });
});

describe('png', () => {
  it('encodes a valid, deterministic PNG', () => {
    const png = artFor(12345, 20, 10);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(20);
    expect(png.readUInt32BE(20)).toBe(10);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength((20 * 3 + 1) * 10);
    expect(artFor(12345, 20, 10)).toEqual(png);
  });
});
