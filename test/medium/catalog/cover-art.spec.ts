import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { catalogContext, type CatalogContext } from './catalog-context';

/** A fake TMDB + OMDB + image host on one loopback port, with a request log. */
async function fakeProviders(): Promise<{
  url: string;
  log: URL[];
  hang: Set<string>;
  close(): Promise<void>;
}> {
  const poster = await sharp({ create: { width: 300, height: 450, channels: 4, background: '#c33a' } })
    .png()
    .toBuffer();
  const log: URL[] = [];
  const hang = new Set<string>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    log.push(url);
    const send = (body: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const query = url.searchParams.get('query') ?? url.searchParams.get('t') ?? '';
    if (hang.has(query)) return; // never answers
    if (url.pathname === '/tmdb/search/movie') {
      // Only the cleaned title (with its year) is known to TMDB.
      return send({
        results:
          query === 'Alien' && url.searchParams.get('year') === '1979'
            ? [{ poster_path: '/alien.png', popularity: 9 }]
            : [],
      });
    }
    if (url.pathname === '/tmdb/search/tv') return send({ results: [] });
    if (url.pathname === '/omdb/') {
      return send(
        query === 'Omdb Only'
          ? { Response: 'True', Poster: `http://127.0.0.1:${port}/img/omdb.png` }
          : { Response: 'False' },
      );
    }
    if (url.pathname.startsWith('/img/') || url.pathname.startsWith('/tmdbimg/')) {
      return res.writeHead(200, { 'content-type': 'image/png' }).end(poster);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    hang,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('cover art', () => {
  let fake: Awaited<ReturnType<typeof fakeProviders>>;
  let ctx: CatalogContext;

  beforeAll(async () => {
    fake = await fakeProviders();
    ctx = await catalogContext({
      catalogSize: 3,
      config: {
        tmdb_api_key: 'tmdb-key',
        omdb_api_key: 'omdb-key',
        tmdb_api_url: `${fake.url}/tmdb`,
        tmdb_image_url: `${fake.url}/tmdbimg`,
        omdb_api_url: `${fake.url}/omdb`,
      },
      art: { itemTimeoutMs: 1500 },
    });
    const [a, b, c] = ctx.sim.world.mediacms.all();
    a.title = 'Alien.1979.1080p.BluRay.mp4';
    b.title = 'Omdb Only';
    c.title = 'Nobody Knows This';
  });
  afterAll(async () => {
    await ctx.close();
    await fake.close();
  });

  it('resolves art after the sync: TMDB with the cleaned-title retry, OMDB, then the thumbnail', async () => {
    const summary = await ctx.catalog.runSync('art');
    expect(summary.status).toBe('completed');
    await ctx.art.drain();
    const rows = await ctx.db.getRepository(CatalogItemEntity).find();
    const byTitle = new Map(rows.map((r) => [r.title, r]));
    expect(byTitle.get('Alien.1979.1080p.BluRay.mp4')?.cover_art_source).toBe('tmdb');
    expect(byTitle.get('Omdb Only')?.cover_art_source).toBe('omdb');
    const third = byTitle.get('Nobody Knows This');
    expect(third?.cover_art_source).toBe(third?.thumbnail_url ? 'thumbnail' : null);

    const movieQueries = fake.log
      .filter((u) => u.pathname === '/tmdb/search/movie')
      .map((u) => u.searchParams.get('query'));
    expect(movieQueries).toEqual(expect.arrayContaining(['Alien.1979.1080p.BluRay.mp4', 'Alien']));
    expect(fake.log.some((u) => u.pathname === '/tmdbimg/w780/alien.png')).toBe(true);

    const alien = byTitle.get('Alien.1979.1080p.BluRay.mp4');
    if (!alien?.cover_art_path) throw new Error('no art path');
    expect(alien.cover_art_path).toMatch(/^[0-9a-f]{8}$/);
    const widths: number[] = [];
    for (const w of [200, 400, 800]) {
      const file = join(ctx.config.image_dir, alien.cover_art_path, `${w}.webp`);
      const meta = await sharp(file).metadata();
      expect(meta.format).toBe('webp');
      widths.push(meta.width ?? 0);
    }
    expect(widths).toEqual([200, 300, 300]); // never upscaled beyond the 300 px source
  });

  it('never lets a hanging provider hold up a sync, and gives up on the item', async () => {
    const item = ctx.sim.world.mediacms.all()[2];
    await ctx.db
      .getRepository(CatalogItemEntity)
      .update({ friendly_token: item.friendly_token }, { cover_art_path: null, cover_art_source: null });
    item.title = 'Hangs Forever';
    fake.hang.add('Hangs Forever');
    const summary = await ctx.catalog.runSync('slow');
    expect(summary.status).toBe('completed');
    expect(ctx.art.pending).toBeGreaterThan(0); // the sync finished while art is still waiting
    await ctx.art.drain();
    expect(ctx.art.stats.failed).toBeGreaterThanOrEqual(1);
    const row = await ctx.db
      .getRepository(CatalogItemEntity)
      .findOneByOrFail({ friendly_token: item.friendly_token });
    expect(row.cover_art_path).toBeNull();
    expect(existsSync(ctx.config.image_dir)).toBe(true);
  });
});
