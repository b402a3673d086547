import { manifestUrl } from '../../../src/kryten/mediacms.client';
import { HIDE_TAG } from '../../../src/catalog/catalog.rules';
import type { CatalogItem } from '../../../sim/world/catalog-generator';
import { TEST_ON_POSTGRES } from '../../support/db';
import { catalogContext, type CatalogContext } from './catalog-context';

/**
 * A search's total is the number of visible matches, however it is counted: under the default
 * sort (on SQLite, inside the full-text index from its flag words), under a title sort (in the
 * page's own pass), and by walking every page. Items hidden, gone, back again, and reserved by a
 * playlist all move it, each at once.
 */
describe('search: the total counts exactly the visible matches, through hides, removals and reservations', () => {
  let ctx: CatalogContext;
  const MATCHING = 40;
  let matching: CatalogItem[];

  beforeAll(async () => {
    ctx = await catalogContext({ catalogSize: 120, seed: 21 });
    matching = ctx.sim.world.mediacms
      .all()
      .filter((i) => i.state === 'public' && i.encoding_status === 'success')
      .slice(0, MATCHING);
    matching.forEach((item, i) => {
      item.title = `Wombat Diaries ${i}`;
      item.categories = ['Movies'];
      item.tags = [];
    });
    await sync();
  });
  afterAll(() => ctx.close());

  async function sync(): Promise<void> {
    const summary = await ctx.catalog.runSync('test');
    if (summary.status !== 'completed') throw new Error(JSON.stringify(summary));
  }

  /** The tokens a search finds, walking every page, and the totals each way of counting gives. */
  async function counted(showHidden: boolean): Promise<{ walked: string[]; ranked: number; sorted: number }> {
    const ask = (page: number) => ctx.catalog.search('wombat', { page, sort: 'default', showHidden });
    const first = await ask(1);
    const walked = first.items.map((i) => i.friendly_token);
    for (let page = 2; page <= first.total_pages; page++) {
      walked.push(...(await ask(page)).items.map((i) => i.friendly_token));
    }
    const ranked = first.total;
    const sorted = (await ctx.catalog.search('wombat', { page: 1, sort: 'title_asc', showHidden })).total;
    return { walked, ranked, sorted };
  }

  async function expectTotals(viewer: number, admin: number): Promise<void> {
    for (const [showHidden, want] of [
      [false, viewer],
      [true, admin],
    ] as const) {
      const { walked, ranked, sorted } = await counted(showHidden);
      expect({ showHidden, ranked, sorted, walked: new Set(walked).size }).toEqual({
        showHidden,
        ranked: want,
        sorted: want,
        walked: want,
      });
    }
  }

  it('counts every match while all are visible', async () => {
    await expectTotals(MATCHING, MATCHING);
  });

  it('leaves hidden items out for viewers only, and counts them again once shown', async () => {
    const [a, b] = matching;
    ctx.sim.world.mediacms.setTags(a.friendly_token, [HIDE_TAG]);
    ctx.sim.world.mediacms.setTags(b.friendly_token, ['bumpers']);
    await sync();
    await expectTotals(MATCHING - 2, MATCHING);
    ctx.sim.world.mediacms.setTags(a.friendly_token, []);
    ctx.sim.world.mediacms.setTags(b.friendly_token, []);
    await sync();
    await expectTotals(MATCHING, MATCHING);
  });

  it('leaves out an item gone upstream for everyone, and counts it again when it comes back', async () => {
    const gone = matching[5];
    ctx.sim.world.mediacms.remove(gone.friendly_token);
    await sync();
    await expectTotals(MATCHING - 1, MATCHING - 1);
    ctx.sim.world.mediacms.add(gone);
    await sync();
    await expectTotals(MATCHING, MATCHING);
  });

  it('leaves out an item a reserved playlist holds, and the last page past the end still knows the total', async () => {
    await ctx.newPlaylist([manifestUrl(ctx.sim.url, matching[7].friendly_token)], { is_immutable: true });
    await expectTotals(MATCHING - 1, MATCHING - 1);
    const past = await ctx.catalog.search('wombat', { page: 99, sort: 'title_asc', showHidden: false });
    expect({ items: past.items.length, total: past.total }).toEqual({ items: 0, total: MATCHING - 1 });
  });

  (TEST_ON_POSTGRES ? describe.skip : describe)(
    'on SQLite (skipped on PostgreSQL, whose index has no flag words)',
    () => {
      it("keeps the index's flag words equal to each row's own hidden and gone columns", async () => {
        const wrong = await ctx.db.query<{ n: number }[]>(
          `SELECT COUNT(*) AS n FROM catalog c JOIN catalog_fts f ON f.rowid = c.search_id WHERE f.flags IS NOT ` +
            `trim(CASE WHEN c.hidden THEN 'wqhidden' ELSE '' END || CASE WHEN c.gone_at IS NOT NULL THEN ' wqgone' ELSE '' END)`,
        );
        expect(Number(wrong[0].n)).toBe(0);
        const indexed = await ctx.db.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM catalog_fts');
        const rows = await ctx.db.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM catalog');
        expect(Number(indexed[0].n)).toBe(Number(rows[0].n));
      });
    },
  );
});
