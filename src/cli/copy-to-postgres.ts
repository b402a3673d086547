/**
 * `npm run db:copy -- --from /var/lib/kryten-webqueue/webqueue.db --to postgres://…`
 *
 * Moves an existing SQLite database to PostgreSQL: migrates the (new, empty) PostgreSQL database,
 * copies every table, builds the search index and compares the row counts. Stop webqueue first.
 * Exit 0: copied and verified; 1: failed or a count differs; 2: bad arguments.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { copyToPostgres } from '../database/copy-to-postgres';
import { databaseKind } from '../database/data-source';
import { openDatabase } from '../database/database.module';

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<number> {
  const from = argument('from');
  const to = argument('to') ?? process.env.WQ_DATABASE_URL;
  if (!from || !to) {
    process.stderr.write(
      'usage: npm run db:copy -- --from <webqueue.db> --to <postgres://user:pass@host/db>\n',
    );
    return 2;
  }
  if (!existsSync(from) || databaseKind(from) !== 'sqlite') {
    process.stderr.write(`db:copy: ${from} is not a SQLite file\n`);
    return 2;
  }
  if (databaseKind(to) !== 'postgres') {
    process.stderr.write('db:copy: --to must be a postgres:// URL\n');
    return 2;
  }
  const quiet = (): void => undefined;
  const source = await openDatabase(from, quiet);
  const target = await openDatabase(to, (line) => process.stdout.write(`${line}\n`));
  try {
    const report = await copyToPostgres(source, target, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(report.ok ? 'copied and verified\n' : 'the counts differ: do not switch over\n');
    return report.ok ? 0 : 1;
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`db:copy failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
