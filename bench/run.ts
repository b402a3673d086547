/**
 * `npm run bench`: every benchmark in bench/*.bench.ts, printed (ratios and latencies).
 * Timing goals live here, never in tests. Each bench module exports `run<Name>Bench()`.
 * `npm run bench -- catalog` runs only the benches whose file name contains "catalog".
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

type BenchFn = () => Promise<void>;

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => !filter || f.includes(filter))
    .sort();
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (!/^run\w*Bench$/.test(name) || typeof fn !== 'function') continue;
      process.stdout.write(`\n=== ${file.replace(/\.js$/, '')} :: ${name} ===\n`);
      await (fn as BenchFn)();
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
