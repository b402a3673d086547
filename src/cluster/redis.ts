import type Redis from 'ioredis';
import { withoutPassword } from '../common/url';

/** How long the start waits for Redis before it stops with a message. */
const CONNECT_TIMEOUT_MS = 5_000;

/** The start cannot go on without the Redis it was told to use; one sentence says which and why. */
export class RedisUnavailableError extends Error {
  constructor(url: string, reason: string) {
    super(`cannot reach Redis at ${describeRedisUrl(url)}: ${reason}`);
    this.name = 'RedisUnavailableError';
  }
}

/** The URL without its password. */
export function describeRedisUrl(url: string): string {
  return withoutPassword(url)?.replace(/\/$/, '') ?? '(unreadable URL)';
}

/**
 * A connected client, or RedisUnavailableError. Once up, ioredis reconnects by itself (commands
 * wait in its queue meanwhile); only the first connection decides whether the start goes on.
 */
export async function connectRedis(url: string, role: string): Promise<Redis> {
  // Loaded on first use: an instance without redis_url never needs the client.
  const { default: RedisClient } = await import('ioredis');
  const client = new RedisClient(url, {
    lazyConnect: true,
    connectionName: `webqueue-${role}`,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 3,
    // During the first connect: fail at once instead of retrying forever.
    retryStrategy: () => null,
  });
  let lastError = '';
  client.on('error', (err: Error) => (lastError = err.message));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new RedisUnavailableError(url, (err as Error).message || lastError || 'no answer');
  }
  // From now on, keep trying to reconnect (every 0.2 s up to 2 s apart).
  client.options.retryStrategy = (times: number) => Math.min(200 * times, 2_000);
  return client;
}
