import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The app's node flags (a small young generation and a slow-growing heap, see
 * docs/architecture.md, Memory) and its malloc setting live in package.json's start script; the
 * systemd units start the app the same way, so a deployment runs what the benches measured.
 */
const ROOT = join(__dirname, '..', '..');

/** `NAME=value` as [NAME, value]; the value may itself hold `=`. */
function assignment(text: string): [string, string] {
  const at = text.indexOf('=');
  return [text.slice(0, at), text.slice(at + 1)];
}

/** The variables a start script sets before `node` (`NAME=value node ...`). */
function envOf(command: string): Record<string, string> {
  const match = /^((?:\w+=\S+\s+)*)node\s/.exec(command);
  if (!match) throw new Error(`not a start of node: ${command}`);
  return Object.fromEntries(match[1].split(/\s+/).filter(Boolean).map(assignment));
}

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
    expect(flags).toEqual(
      expect.arrayContaining([
        '--max-semi-space-size=2',
        '--heap-growing-percent=10',
        '--single-threaded-gc',
      ]),
    );
    expect(flags).not.toContain('--optimize-for-size');
  });

  it('npm start limits glibc to two malloc arenas', () => {
    expect(envOf(pkg.scripts.start)).toEqual({ MALLOC_ARENA_MAX: '2' });
  });

  it.each(readdirSync(join(ROOT, 'deploy')).filter((f) => f.endsWith('.service')))(
    'deploy/%s starts the app with the same flags and environment',
    (unit) => {
      const lines = readFileSync(join(ROOT, 'deploy', unit), 'utf8').split('\n');
      const execStart = lines.find((line) => line.startsWith('ExecStart='));
      expect(execStart).toBeDefined();
      expect(flagsOf(execStart as string)).toBe(startFlags);
      const unitEnv = Object.fromEntries(
        lines
          .filter((line) => line.startsWith('Environment='))
          .map((line) => assignment(line.slice('Environment='.length))),
      );
      expect(unitEnv).toMatchObject(envOf(pkg.scripts.start));
    },
  );
});
