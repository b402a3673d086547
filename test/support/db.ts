import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateDbPath } from './global-setup';

/** A fresh, fully migrated database file for one test (a copy of the template). */
export function freshDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wq-test-'));
  const path = join(dir, 'webqueue.db');
  copyFileSync(templateDbPath(), path);
  return path;
}

/** A fresh empty folder (image_dir and the like). */
export function tempDir(prefix = 'wq-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
