import { io as connectClient, type Socket } from 'socket.io-client';

/**
 * `count` Socket.IO viewers of `url` with one session cookie, 250 at a time, each resolved once
 * it has its first queue_state. Without reconnection a refused connect fails the whole call;
 * with it the client keeps trying, as a browser would. `onSocket` sees each socket before it
 * connects (to count what it receives).
 */
export async function connectViewers(
  url: string,
  cookie: string,
  count: number,
  options: { reconnection: boolean; onSocket?: (socket: Socket) => void },
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 250) {
    await Promise.all(
      Array.from({ length: Math.min(250, count - i) }, async () => {
        const socket = connectClient(url, {
          path: '/socket.io',
          transports: ['websocket'],
          reconnection: options.reconnection,
          forceNew: true,
          extraHeaders: { cookie },
        });
        options.onSocket?.(socket);
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('queue_state', () => resolve());
          if (!options.reconnection) socket.once('connect_error', reject);
        });
      }),
    );
  }
  return sockets;
}
