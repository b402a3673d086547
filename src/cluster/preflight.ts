import type { AppConfig } from '../config/app-config';
import { DatabaseUnavailableError } from '../database/database.module';
import { connectRedis, RedisUnavailableError } from './redis';

/**
 * Before the app is built: can the PostgreSQL and the Redis the config names be reached? A start
 * that cannot reach them stops with one sentence instead of a stack trace from deep in Nest.
 */
export async function preflight(config: Pick<AppConfig, 'database_url' | 'redis_url'>): Promise<void> {
  if (config.database_url !== '') {
    // Loaded only here: an instance on SQLite never needs the PostgreSQL client.
    const { Client } = await import('pg');
    const client = new Client({ connectionString: config.database_url, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
    } catch (err) {
      throw new DatabaseUnavailableError(config.database_url, err);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (config.redis_url !== '') (await connectRedis(config.redis_url, 'preflight')).disconnect();
}

export function isStartupUnavailable(err: unknown): err is Error {
  return err instanceof DatabaseUnavailableError || err instanceof RedisUnavailableError;
}
