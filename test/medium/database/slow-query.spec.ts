import { type DataSource } from 'typeorm';
import { openDatabase } from '../../../src/database/database.module';
import { freshDatabase } from '../../support/db';

const quiet = (): void => undefined;

// Runs on whichever database the tier uses: the watch is TypeORM's, the same for both drivers.
describe('the slow-query log (config slow_query_ms)', () => {
  let dataSource: DataSource | undefined;
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    dataSource = undefined;
  });

  // A query that counts to two million takes well over a millisecond on any machine.
  const SLOW_SQL = `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000)
    SELECT count(*) AS c FROM n WHERE x > $1`;

  /** The warnings of a database watched with this bar, after it ran the slow query once. */
  async function warningsAfterSlowQuery(slowQueryMs: number): Promise<string[]> {
    const warnings: string[] = [];
    dataSource = await openDatabase(freshDatabase(), quiet, {
      slowQueryMs,
      warn: (line) => warnings.push(line),
    });
    const sql = dataSource.options.type === 'postgres' ? SLOW_SQL : SLOW_SQL.replace('$1', '?');
    await dataSource.query(sql, [7]);
    return warnings;
  }

  it('warns with the time, the SQL on one line and the parameters of a query slower than the bar', async () => {
    const slow = (await warningsAfterSlowQuery(1)).filter((line) => line.includes('count(*) AS c FROM n'));
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatch(
      /^slow query \(\d+ ms\): WITH RECURSIVE n\(x\) AS \(SELECT 1 UNION ALL .* -- \[7\]$/,
    );
    expect(slow[0]).not.toContain('\n');
  });

  it('stays silent when the bar is 0 (the default)', async () => {
    expect(await warningsAfterSlowQuery(0)).toEqual([]);
  });
});
