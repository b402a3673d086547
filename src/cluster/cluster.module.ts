import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { isPostgres } from '../database/data-source';
import { ClusterBus, RedisBus, SoloBus } from './cluster-bus';
import { InstanceIdentity } from './instance';
import { Leadership, PostgresLeadership, SoloLeadership } from './leadership';
import { MemoryRateLimits, RateLimits, RedisRateLimits } from './rate-limits';
import { connectRedis } from './redis';
import { PostgresLock, SharedLock, SoloLock } from './shared-lock';

/** The Redis connections of this instance (null without redis_url). */
export const REDIS = Symbol('REDIS');
export interface RedisConnections {
  url: string;
  commands: Redis;
  subscriber: Redis;
  /** Socket.IO's Redis adapter, loaded with the connections (an instance without Redis never needs it). */
  createIoAdapter: typeof createAdapter;
}

@Injectable()
class ClusterShutdown implements OnApplicationShutdown {
  constructor(
    private readonly leadership: Leadership,
    private readonly bus: ClusterBus,
    @Inject(REDIS) private readonly redis: RedisConnections | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.leadership.stop();
    await this.bus.close();
    this.redis?.commands.disconnect();
  }
}

/**
 * What lets several instances share one database and one Redis without a double action: who
 * leads (the periodic work), locks that hold across instances, a bus between them, and rate
 * limits they count together. On SQLite (one process) every part is its in-process form.
 */
@Global()
@Module({
  providers: [
    { provide: InstanceIdentity, inject: [AppConfig], useFactory: (c: AppConfig) => new InstanceIdentity(c) },
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<RedisConnections | null> => {
        if (config.redis_url === '') return null;
        const commands = await connectRedis(config.redis_url, 'commands');
        const subscriber = await connectRedis(config.redis_url, 'bus');
        const { createAdapter: createIoAdapter } = await import('@socket.io/redis-adapter');
        return { url: config.redis_url, commands, subscriber, createIoAdapter };
      },
    },
    {
      provide: ClusterBus,
      inject: [REDIS, InstanceIdentity],
      useFactory: (redis: RedisConnections | null, instance: InstanceIdentity): ClusterBus =>
        redis ? new RedisBus(redis.commands, redis.subscriber, instance.name) : new SoloBus(),
    },
    {
      provide: Leadership,
      inject: [DataSource, AppConfig, InstanceIdentity, REDIS],
      useFactory: async (
        dataSource: DataSource,
        config: AppConfig,
        instance: InstanceIdentity,
        redis: RedisConnections | null,
      ): Promise<Leadership> => {
        if (!isPostgres(dataSource)) return new SoloLeadership();
        if (!redis) {
          new Logger('Cluster').warn(
            'PostgreSQL without redis_url: run one instance only (several need Redis to share live updates)',
          );
        }
        const leadership = new PostgresLeadership(config.database_url, instance.name);
        await leadership.start();
        return leadership;
      },
    },
    {
      provide: SharedLock,
      inject: [DataSource],
      useFactory: (dataSource: DataSource): SharedLock =>
        isPostgres(dataSource) ? new PostgresLock(dataSource) : new SoloLock(),
    },
    {
      provide: RateLimits,
      inject: [REDIS],
      useFactory: (redis: RedisConnections | null): RateLimits =>
        redis ? new RedisRateLimits(redis.commands) : new MemoryRateLimits(),
    },
    ClusterShutdown,
  ],
  exports: [InstanceIdentity, REDIS, ClusterBus, Leadership, SharedLock, RateLimits],
})
export class ClusterModule {}
