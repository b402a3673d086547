import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The app's node flags (a small young generation and a slow-growing heap, see
 * docs/architecture.md, Memory) live in package.json's start script; the systemd units start
 * the app the same way, so a deployment runs what the benches measured.
 */
const ROOT = join(__dirname, '..', '..');

function flagsOf(command: string): string {
  const match = /node\s+(.*?)\s*dist\/src\/main\.js/.exec(command);
  if (!match) throw new Error(`not a start of dist/src/main.js: ${command}`);
  return match[1];
}

describe('the start command', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const startFlags = flagsOf(pkg.scripts.start);

  it('npm start gives node the memory flags, and not the one that halves its speed', () => {
    const flags = startFlags.split(/\s+/);
    expect(flags).toEqual(expect.arrayContaining(['--max-semi-space-size=1', '--heap-growing-percent=10']));
    expect(flags).not.toContain('--optimize-for-size');
  });

  it.each(readdirSync(join(ROOT, 'deploy')).filter((f) => f.endsWith('.service')))(
    'deploy/%s starts the app with the same flags',
    (unit) => {
      const execStart = readFileSync(join(ROOT, 'deploy', unit), 'utf8')
        .split('\n')
        .find((line) => line.startsWith('ExecStart='));
      expect(execStart).toBeDefined();
      expect(flagsOf(execStart as string)).toBe(startFlags);
    },
  );
});
