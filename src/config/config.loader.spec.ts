import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  loadConfigFile,
  normaliseMediaCmsUrl,
  parseConfig,
  resolveConfigPath,
} from './config.loader';

const root = join(__dirname, '..', '..');
const oldConfig = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'old-config.json'), 'utf8'));

function problemsOf(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(raw, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.length ? (err as ConfigError).problems : [(err as Error).message];
  }
  throw new Error('expected the config to be refused');
}

describe('config loader', () => {
  it('loads the old service config.json unchanged, with its values and defaults', () => {
    const { config, unknownKeys } = parseConfig(oldConfig());
    expect(unknownKeys).toEqual([]);
    expect(config.port).toBe(2010);
    expect(config.channel).toBe('Q_A');
    expect(config.presence_refund.grace_seconds).toBe(60);
    expect(config.presence_refund.on_afk).toBe(false);
    // Keys the old file lacks get our defaults.
    expect(config.presence_refund.notify_user).toBe(true);
    expect(config.promos.general.every_n_items).toBe(4);
    expect(config.promos.types.mod_shoutout.order).toBe('sequential');
    // URL normalisation (a trailing /api/v1 or /api on mediacms_url is stripped).
    expect(config.api_gate_url).toBe('http://127.0.0.1:28288');
    expect(config.mediacms_url).toBe('https://www.dropsugar.com');
  });

  it('promos.pools is keyed by playlist id: its keys are not unknown, its rules are validated', () => {
    const base = { secret_key: 'x'.repeat(32), api_gate_token: 't', mediacms_token: 'm' };
    const ok = parseConfig({
      ...base,
      promos: { pools: { '12': { weight: 2, window: { start: '18:00', end: '23:00', days: ['FR'] } } } },
    });
    expect(ok.unknownKeys).toEqual([]);
    expect(ok.config.promos.pools['12'].weight).toBe(2);
    expect(() => parseConfig({ ...base, promos: { pools: { '12': { weight: -1 } } } })).toThrow(
      /pools\.12\.weight: weight must not be less than 0/,
    );
    expect(() => parseConfig({ ...base, promos: { timezone: 'Nowhere/Land' } })).toThrow(
      /timezone must be a time zone name/,
    );
  });

  it('loads config.example.json, whose _comment keys are not reported as unknown', () => {
    const { config, unknownKeys } = loadConfigFile(join(root, 'config.example.json'), {});
    expect(unknownKeys).toEqual([]);
    expect(config.promos.types.channel_identity.weight).toBe(3);
  });

  it('fills every default when only the required keys are given', () => {
    const { config } = parseConfig({ secret_key: 'x'.repeat(32), api_gate_token: 't', mediacms_token: 'm' });
    expect(config.state_poll_interval_sec).toBe(3);
    expect(config.db_path).toBe('/var/lib/kryten-webqueue/webqueue.db');
    expect(config.playlist_bulk_add_max_retries).toBe(2);
  });

  it('names every missing required key in one message', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toMatch(/secret_key \(missing\)/);
    expect(problems.join('\n')).toMatch(/api_gate_token \(missing\)/);
    expect(problems.join('\n')).toMatch(/mediacms_token \(missing\)/);
    expect(problems).toHaveLength(3);
  });

  it('refuses a short secret, a wrong type and a bad nested value, naming each', () => {
    const raw = {
      ...oldConfig(),
      secret_key: 'short',
      port: 'eighty',
      presence_refund: { grace_seconds: -5 },
    };
    const problems = problemsOf(raw).join('\n');
    expect(problems).toMatch(/secret_key .*at least 32 characters/);
    expect(problems).toMatch(/port \(got "eighty"\)/);
    expect(problems).toMatch(/presence_refund\.grace_seconds \(got -5\)/);
  });

  it('refuses an unknown enum value in the promo block', () => {
    const raw = { ...oldConfig(), promos: { types: { event: { order: 'shuffle' } } } };
    expect(problemsOf(raw).join('\n')).toMatch(/promos\.types\.event\.order/);
  });

  it('refuses a file that is not a JSON object', () => {
    expect(problemsOf([1, 2])[0]).toMatch(/JSON object/);
  });

  it('reports unknown keys as warnings, not errors', () => {
    const { unknownKeys } = parseConfig({ ...oldConfig(), colour: 'red', presence_refund: { typo_key: 1 } });
    expect([...unknownKeys].sort()).toEqual(['colour', 'presence_refund.typo_key']);
  });

  it('takes secrets from the environment', () => {
    const { config } = parseConfig(
      { secret_key: 'short' },
      { WQ_SECRET_KEY: 's'.repeat(40), WQ_API_GATE_TOKEN: 'gate', WQ_MEDIACMS_TOKEN: 'cms' },
    );
    expect(config.secret_key).toBe('s'.repeat(40));
    expect(config.api_gate_token).toBe('gate');
    expect(config.mediacms_token).toBe('cms');
  });

  it('gives a clear error for a missing file and for invalid JSON', () => {
    expect(() => loadConfigFile('/nonexistent/config.json')).toThrow(/config file not found: \/nonexistent/);
    const bad = join(tmpdir(), `wq-bad-${process.pid}.json`);
    writeFileSync(bad, '{ not json');
    expect(() => loadConfigFile(bad)).toThrow(/not valid JSON/);
  });

  it('resolves the config path from --config, then WQ_CONFIG, then the default', () => {
    expect(resolveConfigPath(['node', 'main', '--config', '/a.json'], { WQ_CONFIG: '/b.json' })).toBe(
      '/a.json',
    );
    expect(resolveConfigPath(['node', 'main', '--config=/c.json'], {})).toBe('/c.json');
    expect(resolveConfigPath(['node', 'main'], { WQ_CONFIG: '/b.json' })).toBe('/b.json');
    expect(resolveConfigPath(['node', 'main'], {})).toBe('/etc/kryten-webqueue/config.json');
  });

  it.each([
    ['https://x.org/api/v1/', 'https://x.org'],
    ['https://x.org/api', 'https://x.org'],
    ['https://x.org', 'https://x.org'],
  ])('normalises the MediaCMS url %s', (input, expected) => {
    expect(normaliseMediaCmsUrl(input)).toBe(expected);
  });
});
