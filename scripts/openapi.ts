/**
 * `npm run openapi`: regenerates `src/openapi/metadata.ts` (the types @nestjs/swagger's plugin
 * reads from the sources) and writes `docs/openapi.json` from a real app instance (on a
 * throw-away database, no timers, no listening). A test fails when either file is stale.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const { generateMetadataSource } = await import('../src/openapi/metadata-generator');
  writeFileSync(join(root, 'src', 'openapi', 'metadata.ts'), generateMetadataSource(root));
  process.stdout.write('wrote src/openapi/metadata.ts\n');
  // the app is loaded after the metadata is written (a built dist still has the old one: rebuild)
  const { openApiJson } = await import('../src/openapi/openapi-document');
  const dir = mkdtempSync(join(tmpdir(), 'wq-openapi-'));
  try {
    writeFileSync(join(root, 'docs', 'openapi.json'), await openApiJson(dir));
    process.stdout.write('wrote docs/openapi.json\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`openapi: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
