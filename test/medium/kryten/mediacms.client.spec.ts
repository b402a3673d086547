import { MediaCmsClient, type MediaCmsListItem } from '@app/kryten/mediacms.client';
import {
  UpstreamAuthError,
  UpstreamNotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '@app/kryten/kryten.errors';
import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';

let sim: RunningSimulator;
let cms: MediaCmsClient;
let ctl: SimControl;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 21, catalogSize: 123 });
  cms = new MediaCmsClient({ baseUrl: sim.url, token: sim.mediacmsToken });
  ctl = new SimControl(sim.url);
});

beforeEach(async () => {
  await ctl.reset(21);
});

afterAll(async () => {
  await cms.close();
  await sim.close();
});

async function all(): Promise<MediaCmsListItem[]> {
  const out: MediaCmsListItem[] = [];
  for await (const item of cms.iterateManageMedia()) out.push(item);
  return out;
}

describe('MediaCmsClient', () => {
  it('lists a page of 50 with an absolute next URL', async () => {
    const page = await cms.listManageMedia();
    expect(page.count).toBe(123);
    expect(page.results).toHaveLength(50);
    expect(page.next).toBe(`${sim.url}/api/v1/manage_media?page_size=50&page=2`);
    expect(page.results[0].thumbnail_url ?? `${sim.url}/`).toMatch(new RegExp(`^${sim.url}/`));
    const last = await cms.listManageMedia(`${sim.url}/api/v1/manage_media?page_size=50&page=3`);
    expect(last.results).toHaveLength(23);
    expect(last.next).toBeNull();
  });

  it('iterates every item by following next', async () => {
    const items = await all();
    const expected = (await ctl.catalog(0, 200)).items.map((i) => i.friendly_token);
    expect(items.map((i) => i.friendly_token)).toEqual(expected);
  });

  it('drops deleted items from the listing ("vanished upstream")', async () => {
    const [first] = (await ctl.catalog(0, 1)).items;
    await ctl.deleteMedia(first.friendly_token);
    const items = await all();
    expect(items).toHaveLength(122);
    expect(items.map((i) => i.friendly_token)).not.toContain(first.friendly_token);
    await expect(cms.getMedia(first.friendly_token)).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });

  it('reads the detail with categories, tags and relative image paths', async () => {
    const item = (await ctl.catalog(0, 123)).items.find(
      (i) => i.has_thumbnail && i.tags.length > 0 && i.state !== 'private',
    );
    if (!item) throw new Error('fixture catalog should have a tagged item with a thumbnail');
    const detail = await cms.getMedia(item.friendly_token);
    expect(detail).toMatchObject({
      title: item.title,
      duration: item.duration,
      user: item.user,
      categories: item.categories,
      tags: item.tags,
      thumbnail_url: `/media/original/thumbnails/${item.friendly_token}.png`,
      poster_url: `/media/original/posters/${item.friendly_token}.png`,
    });
  });

  it('maps an unknown token (MediaCMS 400) to UpstreamNotFoundError', async () => {
    const err: unknown = await cms.getMedia('NoSuchOne').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamNotFoundError);
    expect(err).toMatchObject({ status: 404, upstreamStatus: 400 });
  });

  it('writes tags (which hands the media to our user) and restores the owner', async () => {
    const [item] = (await ctl.catalog(0, 1)).items;
    await cms.updateTags(item.friendly_token, [...item.tags, 'kryten-hidden']);
    expect(await ctl.media(item.friendly_token)).toMatchObject({
      tags: [...item.tags, 'kryten-hidden'],
      user: 'sim-editor',
    });
    await cms.changeOwner(item.friendly_token, item.user);
    expect((await ctl.media(item.friendly_token)).user).toBe(item.user);
    expect((await cms.getMedia(item.friendly_token)).tags).toContain('kryten-hidden');
  });

  it('tells its listeners of each accepted write, and not of a refused one', async () => {
    const [first, second] = (await ctl.catalog(0, 2)).items;
    const written: string[] = [];
    const stop = cms.onMediaWritten((token) => written.push(token));
    await cms.updateTags(first.friendly_token, first.tags);
    await cms.updateMedia(second.friendly_token, { title: 'Renamed' });
    await expect(cms.updateMedia('no-such-token', { title: 'x' })).rejects.toBeInstanceOf(
      UpstreamNotFoundError,
    );
    stop();
    await cms.updateTags(first.friendly_token, first.tags);
    expect(written).toEqual([first.friendly_token, second.friendly_token]);
  });

  it('reads the bulk media_facets list in pages, oldest item first, with every name', async () => {
    const expected = [...(await ctl.catalog(0, 200)).items].reverse();
    const pages = [await cms.listMediaFacets(1, 100), await cms.listMediaFacets(2, 100)];
    expect(pages.map((p) => [p.results.length, p.has_next])).toEqual([
      [100, true],
      [23, false],
    ]);
    const entries = pages.flatMap((p) => p.results);
    expect(entries).toEqual(
      expected.map((i) => ({ friendly_token: i.friendly_token, categories: i.categories, tags: i.tags })),
    );
    await expect(cms.listMediaFacets(3, 100)).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });

  it('skips malformed bulk entries and refuses an answer of the wrong shape', async () => {
    const good = { friendly_token: 'ok', categories: ['Film'], tags: [] };
    await ctl.setFaults([
      {
        method: 'GET',
        path: '/api/v1/media_facets',
        status: 200,
        times: 1,
        body: {
          results: [
            good,
            { friendly_token: 7, categories: [], tags: [] },
            { friendly_token: 'x', tags: [1] },
            null,
          ],
          has_next: false,
        },
      },
      { method: 'GET', path: '/api/v1/media_facets', status: 200, times: 1, body: { results: [] } },
    ]);
    expect(await cms.listMediaFacets(1, 500)).toEqual({ results: [good], has_next: false });
    await expect(cms.listMediaFacets(1, 500)).rejects.toBeInstanceOf(UpstreamRejectedError);
    await ctl.clearFaults();
  });

  it('builds manifest URLs the simulator serves as JSON, and serves PNG art', async () => {
    const item = (await ctl.catalog(0, 123)).items.find((i) => i.has_thumbnail);
    if (!item) throw new Error('fixture catalog should have an item with a thumbnail');
    const url = cms.manifestUrl(item.friendly_token);
    expect(cms.tokenFromManifestUrl(url)).toBe(item.friendly_token);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ title: item.title, duration: item.duration, live: false });
    const poster = await fetch(`${sim.url}/media/original/posters/${item.friendly_token}.png`);
    expect(poster.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await poster.arrayBuffer())
        .subarray(1, 4)
        .toString('ascii'),
    ).toBe('PNG');
    await ctl.deleteMedia(item.friendly_token);
    expect((await fetch(url)).status).toBe(500);
  });

  it('maps a wrong token to UpstreamAuthError', async () => {
    const wrong = new MediaCmsClient({ baseUrl: sim.url, token: 'bad' });
    await expect(wrong.listManageMedia()).rejects.toThrow(
      new UpstreamAuthError('mediacms', 'Invalid token.'),
    );
    await wrong.close();
  });

  it('maps 5xx and timeouts to UpstreamUnavailableError', async () => {
    await ctl.setFaults([{ path: '/api/v1/manage_media', status: 502, times: 1 }]);
    await expect(cms.listManageMedia()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    const fast = new MediaCmsClient({ baseUrl: sim.url, token: sim.mediacmsToken, timeoutMs: 300 });
    await ctl.setFaults([{ path: '/api/v1/media/*', timeout: true, times: 1 }]);
    await expect(fast.getMedia('whatever1')).rejects.toThrow('mediacms is unavailable: timeout after 300 ms');
    await fast.close();
  });
});
