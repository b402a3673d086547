import type { DataSource, EntityMetadata } from 'typeorm';
import { PostgresTextSearch } from '../catalog/search/postgres-text.search';
import { CatalogRepository } from '../catalog/catalog.repository';
import { CatalogItemEntity } from '../catalog/entities/catalog-item.entity';
import { isPostgres } from './data-source';
import { MainConnectionReads } from './read-connection';

/** Rows per INSERT while copying. */
const CHUNK = 500;

export interface CopyReport {
  tables: { table: string; source: number; copied: number }[];
  searchIndexed: number;
  ok: boolean;
}

/**
 * Copy every table of a SQLite database into an empty, migrated PostgreSQL one, parents before
 * children, then set the id sequences past the copied ids and build the full-text index from the
 * catalog. Verifies the row count of every table. Refuses a target that already has data.
 */
export async function copyToPostgres(
  source: DataSource,
  target: DataSource,
  log: (line: string) => void = () => undefined,
): Promise<CopyReport> {
  if (isPostgres(source) || !isPostgres(target)) throw new Error('copy goes from SQLite to PostgreSQL');
  const tables = parentsFirst(target.entityMetadatas);
  for (const meta of tables) {
    if ((await target.getRepository(meta.target).count()) > 0) {
      throw new Error(
        `the PostgreSQL database is not empty (table ${meta.tableName} has rows); use a new database`,
      );
    }
  }
  const report: CopyReport = { tables: [], searchIndexed: 0, ok: true };
  await target.transaction(async (manager) => {
    for (const meta of tables) {
      const rows = await source.getRepository(meta.target).find();
      for (let i = 0; i < rows.length; i += CHUNK) {
        await manager.getRepository(meta.target).insert(rows.slice(i, i + CHUNK));
      }
      for (const column of meta.columns.filter(
        (c) => c.isGenerated && c.generationStrategy === 'increment',
      )) {
        await manager.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE((SELECT MAX("${column.databaseName}") FROM "${meta.tableName}"), 0), 1))`,
          [meta.tableName, column.databaseName],
        );
      }
    }
    const search = new PostgresTextSearch(
      target,
      new CatalogRepository(target, new MainConnectionReads(target)),
    );
    const catalog = await manager.getRepository(CatalogItemEntity).find();
    await search.index(manager, catalog);
  });
  for (const meta of tables) {
    const sourceCount = await source.getRepository(meta.target).count();
    const copied = await target.getRepository(meta.target).count();
    report.tables.push({ table: meta.tableName, source: sourceCount, copied });
    if (sourceCount !== copied) report.ok = false;
    log(`${meta.tableName}: ${copied} of ${sourceCount} row(s)${sourceCount === copied ? '' : '  MISMATCH'}`);
  }
  report.searchIndexed = await new PostgresTextSearch(
    target,
    new CatalogRepository(target, new MainConnectionReads(target)),
  ).indexedCount();
  const catalogRows = report.tables.find((t) => t.table === 'catalog')?.copied ?? 0;
  if (report.searchIndexed !== catalogRows) report.ok = false;
  log(`search index: ${report.searchIndexed} of ${catalogRows} catalog item(s)`);
  return report;
}

/** Tables ordered so every foreign key points at a table copied before it. */
function parentsFirst(metas: readonly EntityMetadata[]): EntityMetadata[] {
  const ordered: EntityMetadata[] = [];
  const placed = new Set<string>();
  const pending = [...metas];
  while (pending.length > 0) {
    const next = pending.findIndex((m) =>
      m.foreignKeys.every(
        (fk) =>
          fk.referencedEntityMetadata.tableName === m.tableName ||
          placed.has(fk.referencedEntityMetadata.tableName),
      ),
    );
    const [meta] = pending.splice(next >= 0 ? next : 0, 1);
    ordered.push(meta);
    placed.add(meta.tableName);
  }
  return ordered;
}
