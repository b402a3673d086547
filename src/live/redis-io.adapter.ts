import type { INestApplicationContext } from '@nestjs/common';
import type { IoAdapter } from '@nestjs/platform-socket.io';
import type { RedisConnections } from '../cluster/cluster.module';
import type { RandomSource } from '../common/random';
import { LiveIoAdapter } from './live-io.adapter';

/**
 * Socket.IO with its rooms in Redis: an emit on any instance reaches the sockets of every
 * instance (the queue, the admin room, one viewer's tabs). Its own two connections, as the
 * adapter subscribes on one and publishes on the other.
 */
export class RedisIoAdapter extends LiveIoAdapter {
  constructor(
    app: INestApplicationContext,
    random: RandomSource,
    private readonly redis: RedisConnections,
  ) {
    super(app, random);
  }

  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(port, options);
    const pub = this.redis.commands.duplicate({ connectionName: 'webqueue-io-pub' });
    const sub = this.redis.commands.duplicate({ connectionName: 'webqueue-io-sub' });
    // Nest's socket.io may be its own copy of the package: the adapter factory fits either.
    server.adapter(this.redis.createIoAdapter(pub, sub, { key: 'webqueue:io' }) as never);
    return server;
  }
}
