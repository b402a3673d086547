import type { Test as HttpTest } from 'supertest';
import request from '../support/http';
import { CatalogService } from '../../src/catalog/catalog.service';
import { startSimulator, type RunningSimulator } from '../../sim/server';
import { SimControl } from '../../sim/sim-control';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { simOverrides } from '../support/config';

/** The tokens of the tiles on a rendered catalog page, in order. */
function tilesOf(page: string): string[] {
  return [...page.matchAll(/<li class="tile[^"]*" data-token="([^"]+)"/g)].map((m) => m[1]);
}

/** The page without the navbar (the part kept between requests). */
function mainOf(page: string): string {
  return page.slice(page.indexOf('<main'), page.indexOf('</main>'));
}

describe('the browse page, kept between viewers', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let alice: string;
  let bob: string;
  let boss: string;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, catalogSize: 20 });
    t = await createTestApp({ configOverrides: simOverrides(sim) });
    await new SimControl(sim.url).addUser({ name: 'boss', rank: 3 });
    alice = sessionCookieFor(t, 'alice', 1);
    bob = sessionCookieFor(t, 'bob', 1);
    boss = sessionCookieFor(t, 'boss', 3);
    const summary = await t.get(CatalogService).runSync('e2e');
    if (summary.status !== 'completed') throw new Error(`initial sync: ${JSON.stringify(summary)}`);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const page = (cookie: string, path = '/catalog/browse?sort=title_asc'): HttpTest =>
    request(t.url).get(path).set('Accept', 'text/html').set('Cookie', cookie);

  it('gives each viewer the same grid under their own name', async () => {
    const forAlice = (await page(alice).expect(200)).text;
    const forBob = (await page(bob).expect(200)).text;
    const visible = (await t.get(CatalogService).browse({ page: 1, sort: 'title_asc', showHidden: false }))
      .items;
    expect(tilesOf(forAlice)).toEqual(visible.map((i) => i.friendly_token));
    expect(mainOf(forBob)).toBe(mainOf(forAlice));
    expect(forAlice).toContain('alice');
    expect(forAlice).not.toContain('bob');
    expect(forBob).toContain('bob');
    expect(forBob).not.toContain('alice');
    // an admin's page is its own: the Hide buttons and the hidden-items notice
    const forBoss = (await page(boss).expect(200)).text;
    expect(forBoss).toContain('data-action="hide"');
    expect(forAlice).not.toContain('data-action="hide"');
    // and so is its navbar, kept apart from the viewers' ones
    expect(forBoss).toContain('href="/admin"');
    expect(forAlice).not.toContain('href="/admin"');
    expect((await page(alice).expect(200)).text).toBe(forAlice);
  });

  it('answers HEAD with the headers of the page and no body', async () => {
    const full = await page(alice).expect(200);
    const head = await request(t.url)
      .head('/catalog/browse?sort=title_asc')
      .set('Accept', 'text/html')
      .set('Cookie', alice)
      .expect(200);
    expect(Number(full.headers['content-length'])).toBe(Buffer.byteLength(full.text));
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers.etag).toBe(full.headers.etag);
    expect(head.text ?? '').toBe('');
  });

  it('answers 304 to a browser that has this very page, and 200 when it changed', async () => {
    const first = await page(alice).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    await page(alice).set('If-None-Match', etag).expect(304);
    // another viewer's navbar differs, so their copy has another tag
    const other = await page(bob).expect(200);
    expect(other.headers.etag).not.toBe(etag);
    await page(bob).set('If-None-Match', etag).expect(200);
  });

  it('drops a tile as soon as an admin hides it, and brings it back on unhide', async () => {
    const before = tilesOf((await page(alice).expect(200)).text);
    const token = before[4];
    await request(t.url).post(`/admin/catalog/${token}/hide`).set('Cookie', boss).expect(200);
    expect(tilesOf((await page(alice).expect(200)).text)).toEqual(before.filter((x) => x !== token));
    await request(t.url).post(`/admin/catalog/${token}/unhide`).set('Cookie', boss).expect(200);
    expect(tilesOf((await page(alice).expect(200)).text)).toEqual(before);
  });

  it('drops a tile as soon as it is put in an immutable playlist', async () => {
    const before = tilesOf((await page(alice).expect(200)).text);
    const token = before[7];
    const created = await request(t.url)
      .post('/admin/playlists')
      .set('Cookie', boss)
      .send({ name: 'Friday event', is_immutable: true })
      .expect(200);
    await request(t.url)
      .post(`/admin/playlists/${created.body.id as number}/append`)
      .set('Cookie', boss)
      .send({ friendly_token: token })
      .expect(200);
    const after = (await page(alice).expect(200)).text;
    expect(tilesOf(after)).toEqual(before.filter((x) => x !== token));
    expect(after).toContain(`${before.length - 1} items`);
  });

  it("keeps a search page the same way: per query, under each viewer's name, and follows a hide", async () => {
    const visible = (await t.get(CatalogService).browse({ page: 1, sort: 'title_asc', showHidden: false }))
      .items;
    const word = visible[0].title.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w));
    if (!word) throw new Error('no searchable word');
    const path = `/catalog/search?q=${encodeURIComponent(word)}`;
    const forAlice = (await page(alice, path).expect(200)).text;
    const forBob = (await page(bob, path).expect(200)).text;
    expect(tilesOf(forAlice)).toContain(visible[0].friendly_token);
    expect(mainOf(forBob)).toBe(mainOf(forAlice));
    expect(forBob).toContain('bob');
    expect(forBob).not.toContain('alice');

    await request(t.url)
      .post(`/admin/catalog/${visible[0].friendly_token}/hide`)
      .set('Cookie', boss)
      .expect(200);
    expect(tilesOf((await page(alice, path).expect(200)).text)).not.toContain(visible[0].friendly_token);
    await request(t.url)
      .post(`/admin/catalog/${visible[0].friendly_token}/unhide`)
      .set('Cookie', boss)
      .expect(200);
  });

  it('keeps the page whole when the query holds the layout marker itself', async () => {
    const res = await page(alice, `/catalog/search?q=${encodeURIComponent('\u0000rendered-body\u0000 x')}`);
    expect(res.status).toBe(200);
    expect(res.text.match(/<main/g)).toHaveLength(1);
    // the kept body sits in <main>, not in the <title> that repeats the query
    expect(res.text.indexOf('<section class="catalog"')).toBeGreaterThan(res.text.indexOf('<main'));
    expect(res.text.trimEnd().endsWith('</html>')).toBe(true);
    expect(res.text).toContain('class="navbar"');
  });
});
