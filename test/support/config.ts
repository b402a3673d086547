import { join } from 'node:path';
import type { AppConfig } from '../../src/config/app-config';
import { parseConfig } from '../../src/config/config.loader';
import { freshDatabaseConfig, tempDir } from './db';

/** A valid config for tests: fresh database copy, temp image folders, loopback upstreams. */
export function testConfig(overrides: Record<string, unknown> = {}): AppConfig {
  const images = tempDir('wq-images-');
  const raw = {
    secret_key: 'test-secret-key-that-is-long-enough-0123456789',
    api_gate_url: 'http://127.0.0.1:9',
    api_gate_token: 'sim-token',
    mediacms_url: 'http://127.0.0.1:9',
    mediacms_token: 'sim-mediacms-token',
    ...freshDatabaseConfig(),
    image_dir: images,
    placeholder_dir: join(images, 'placeholders'),
    host: '127.0.0.1',
    port: 0,
    // metrics on the app's own /metrics (no second port per test app)
    prometheus_port: 0,
    log_level: 'error',
    ...overrides,
  };
  return parseConfig(raw).config;
}

/** Config keys that point the app at a running simulator (api-gate and MediaCMS on one port). */
export function simOverrides(sim: {
  url: string;
  apiToken: string;
  mediacmsToken: string;
}): Record<string, string> {
  return {
    api_gate_url: sim.url,
    api_gate_token: sim.apiToken,
    mediacms_url: sim.url,
    mediacms_token: sim.mediacmsToken,
  };
}

/** The simulator's TMDb and OMDb stand-ins, with the keys they accept. */
export function metadataOverrides(sim: { url: string }): Record<string, string> {
  return {
    tmdb_api_url: `${sim.url}/tmdb/3`,
    tmdb_image_url: `${sim.url}/tmdb/t/p`,
    tmdb_api_key: 'sim-tmdb-key',
    omdb_api_url: `${sim.url}/omdb`,
    omdb_api_key: 'sim-omdb-key',
  };
}
