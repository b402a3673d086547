import { existsSync, readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppConfig } from './app-config';

export const DEFAULT_CONFIG_PATH = '/etc/kryten-webqueue/config.json';

/** A configuration problem that must stop the start; the message names every bad key. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: AppConfig;
  path: string;
  /** Keys the file has that we do not know (a warning, not an error). */
  unknownKeys: string[];
}

/** Where the config comes from: `--config PATH`, else `WQ_CONFIG`, else the default path. */
export function resolveConfigPath(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const flag = argv.indexOf('--config');
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1];
  const inline = argv.find((a) => a.startsWith('--config='));
  if (inline) return inline.slice('--config='.length);
  return env.WQ_CONFIG || DEFAULT_CONFIG_PATH;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  if (!existsSync(path)) {
    throw new ConfigError(`config file not found: ${path} (set WQ_CONFIG or pass --config PATH)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return { ...parseConfig(raw, env), path };
}

/** Validate a parsed JSON object (plus env secrets) into an AppConfig, or throw ConfigError. */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = {}): Omit<LoadedConfig, 'path'> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config must be a JSON object');
  }
  const input: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  // Secrets may come from the environment instead of the file (env wins).
  if (env.WQ_SECRET_KEY) input.secret_key = env.WQ_SECRET_KEY;
  if (env.WQ_API_GATE_TOKEN) input.api_gate_token = env.WQ_API_GATE_TOKEN;
  if (env.WQ_MEDIACMS_TOKEN) input.mediacms_token = env.WQ_MEDIACMS_TOKEN;
  // Connection strings carry passwords too.
  if (env.WQ_DATABASE_URL) input.database_url = env.WQ_DATABASE_URL;
  if (env.WQ_REDIS_URL) input.redis_url = env.WQ_REDIS_URL;
  // One config file for several instances on one machine (the webqueue@PORT systemd template).
  if (env.WQ_PORT) input.port = Number(env.WQ_PORT);
  if (env.WQ_PROMETHEUS_PORT) input.prometheus_port = Number(env.WQ_PROMETHEUS_PORT);
  if (env.WQ_INSTANCE_NAME) input.instance_name = env.WQ_INSTANCE_NAME;

  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  const problems = flattenErrors(validateSync(config, { forbidUnknownValues: false }));
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`, problems);
  }
  config.api_gate_url = config.api_gate_url.replace(/\/+$/, '');
  config.mediacms_url = normaliseMediaCmsUrl(config.mediacms_url);
  return { config, unknownKeys: findUnknownKeys(input, new AppConfig()) };
}

/** `https://x/api/v1/` → `https://x` (a trailing /api/v1 or /api is stripped). */
export function normaliseMediaCmsUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api(\/v1)?$/, '');
}

function flattenErrors(errors: ValidationError[], prefix = ''): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const key = prefix + error.property;
    if (error.constraints) {
      const shown = error.value === undefined ? 'missing' : `got ${JSON.stringify(error.value)}`;
      out.push(`${key} (${shown}): ${Object.values(error.constraints).join('; ')}`);
    }
    if (error.children?.length) out.push(...flattenErrors(error.children, `${key}.`));
  }
  return out;
}

/** Blocks keyed by data (playlist ids), not by setting names: their keys are never "unknown". */
const KEYED_BY_DATA = new Set(['promos.pools']);

function findUnknownKeys(input: Record<string, unknown>, defaults: object, prefix = ''): string[] {
  const out: string[] = [];
  if (KEYED_BY_DATA.has(prefix.slice(0, -1))) return out;
  const known = defaults as Record<string, unknown>;
  const required = ['secret_key', 'api_gate_token', 'mediacms_token'];
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('_') || key === '$schema') continue; // comments in example files
    if (!(key in known) && !(prefix === '' && required.includes(key))) {
      out.push(prefix + key);
    } else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      known[key] &&
      typeof known[key] === 'object'
    ) {
      out.push(...findUnknownKeys(value as Record<string, unknown>, known[key], `${prefix}${key}.`));
    }
  }
  return out;
}
