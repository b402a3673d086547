import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { RandomSource } from '../common/random';
import { heartbeatInterval } from './fanout.rules';

/** The part of an engine.io server whose heartbeat interval we spread. */
interface HeartbeatOptions {
  opts: { pingInterval: number };
}

/**
 * Socket.IO as Nest's adapter makes it, with each socket's heartbeat a little apart from the
 * others' (`heartbeatInterval`): sockets that connect in one burst would otherwise ping in one
 * burst every 25 s.
 */
export class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly random: RandomSource,
  ) {
    super(app);
  }

  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(port, options);
    spreadHeartbeats(server.engine as unknown as HeartbeatOptions, () => this.random.next());
    return server;
  }
}

/**
 * engine.io reads `opts.pingInterval` when it starts a socket's heartbeat timer (and for the
 * interval its handshake advertises), so a getter gives each socket its own. Both are at most
 * the configured interval; the client allows the advertised one plus the ping timeout.
 */
export function spreadHeartbeats(engine: HeartbeatOptions, random: () => number): void {
  const configured = engine.opts.pingInterval;
  Object.defineProperty(engine.opts, 'pingInterval', {
    configurable: true,
    enumerable: true,
    get: () => heartbeatInterval(configured, random),
  });
}
