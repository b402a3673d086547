import type { DataSource } from 'typeorm';
import { CatalogItemEntity } from './entities/catalog-item.entity';

/**
 * The catalog's tokens in order, as the [first, last] token of each slice of `size` rows, with a
 * turn of the event loop before each. Work over the whole catalog (the end-of-sync repairs, the
 * facet counts) goes slice by slice, so other requests are answered meanwhile: at 100k items one
 * statement over everything held the event loop for a second.
 */
export async function* catalogTokenSlices(
  dataSource: DataSource,
  size: number,
): AsyncGenerator<[string, string]> {
  let after: string | null = null;
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    const query = dataSource
      .getRepository(CatalogItemEntity)
      .createQueryBuilder('c')
      .select('c.friendly_token', 'token')
      .orderBy('c.friendly_token', 'ASC')
      .limit(size);
    if (after !== null) query.where('c.friendly_token > :after', { after });
    const rows = await query.getRawMany<{ token: string }>();
    if (rows.length === 0) return;
    after = rows[rows.length - 1].token;
    yield [rows[0].token, after];
  }
}

/** Rows per slice: a few milliseconds of work each. */
export const CATALOG_SLICE = 1_000;
