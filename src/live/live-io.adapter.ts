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
 * burst every 25 s. A socket of a gateway without message handlers is left out of Nest's
 * per-socket disconnect table (see `bindMessageHandlers`).
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

  /**
   * Nest calls this for every socket, handlers or not, and first files a disconnect observable
   * for the socket in a WeakMap keyed by that socket. Its value refers back to its key, so the
   * garbage collector marks each of those 5,000 entries in its slow ephemeron phase (in the load
   * soak up to 33 ms of a full collection's final pause, p90 19 ms; 3.8 and 1.1 ms without them).
   * Our gateway listens with plain `socket.on`, so there is nothing to bind and nothing to file.
   */
  override bindMessageHandlers(
    ...args: Parameters<IoAdapter['bindMessageHandlers']>
  ): ReturnType<IoAdapter['bindMessageHandlers']> {
    const [, handlers] = args;
    if (handlers.length === 0) return;
    super.bindMessageHandlers(...args);
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
