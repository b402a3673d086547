import { rmSync } from 'node:fs';

/** Removes this run's template database (see global-setup.ts). */
export default function globalTeardown(): void {
  const template = process.env.WQ_TEST_TEMPLATE_DB;
  if (!template) return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(template + suffix, { force: true });
}
