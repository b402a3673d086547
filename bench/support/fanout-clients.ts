/**
 * Socket.IO viewers for the fan-out bench, in a worker thread so that receiving and parsing
 * thousands of messages does not run on the server's thread. `kind` is how they read:
 * - `socket.io`: socket.io-client, as the pages do (each message parsed and dispatched);
 * - `raw`: bare WebSockets speaking the Engine.IO/Socket.IO wire protocol, which note a
 *   diff's arrival from its first bytes without parsing it: closer to when the wire delivered it.
 * Messages from the parent: `{ type: 'expect' }` arms a one-shot `queue_diff` listener on every
 * socket and answers `armed`; when every socket has one, it posts `arrived` with each arrival
 * time (ms since the epoch, comparable across threads) and `busyMs`, how long this thread was
 * busy between arming and the last arrival; `{ type: 'close' }` disconnects and answers `closed`.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { connectViewers } from './viewers';

export type ViewerKind = 'socket.io' | 'raw';

const { url, cookie, count, kind } = workerData as {
  url: string;
  cookie: string;
  count: number;
  kind?: ViewerKind;
};
const port = parentPort;
if (!port) throw new Error('fanout-clients runs as a worker thread');

const now = (): number => performance.timeOrigin + performance.now();

/** One viewer: arm it for the next diff, close it. */
interface Viewer {
  expectDiff(onArrival: () => void): void;
  close(): void;
}

async function socketIoViewers(): Promise<Viewer[]> {
  const sockets = await connectViewers(url, cookie, count, { reconnection: false });
  return sockets.map((socket) => ({
    expectDiff: (onArrival) => socket.once('queue_diff', onArrival),
    close: () => socket.disconnect(),
  }));
}

/** A bare WebSocket: Engine.IO open → Socket.IO connect → the first queue_state; pings answered. */
function rawViewer(): Promise<Viewer> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    headers: { cookie },
  });
  let onDiff: (() => void) | null = null;
  return new Promise((resolve, reject) => {
    const viewer: Viewer = {
      expectDiff: (onArrival) => {
        onDiff = onArrival;
      },
      close: () => ws.close(),
    };
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      // Engine.IO packet types: 0 open, 2 ping, 4 message; Socket.IO inside: 0 connect, 2 event.
      const head = data.toString('latin1', 0, Math.min(data.length, 16));
      if (head === '2') ws.send('3');
      else if (head.startsWith('0')) ws.send('40');
      else if (head.startsWith('42["queue_state"')) resolve(viewer);
      else if (head.startsWith('42["queue_diff"') && onDiff) {
        const arrived = onDiff;
        onDiff = null;
        arrived();
      }
    });
  });
}

async function rawViewers(): Promise<Viewer[]> {
  const viewers: Viewer[] = [];
  for (let i = 0; i < count; i += 250) {
    viewers.push(...(await Promise.all(Array.from({ length: Math.min(250, count - i) }, rawViewer))));
  }
  return viewers;
}

let viewers: Viewer[] = [];

port.on('message', (message: { type: 'expect' | 'close' }) => {
  if (message.type === 'expect') {
    const times: number[] = [];
    const before = performance.eventLoopUtilization();
    for (const viewer of viewers) {
      viewer.expectDiff(() => {
        times.push(now());
        if (times.length === viewers.length) {
          const busyMs = performance.eventLoopUtilization(before).active;
          port.postMessage({ type: 'arrived', times, busyMs });
        }
      });
    }
    port.postMessage({ type: 'armed' });
  } else {
    for (const viewer of viewers) viewer.close();
    port.postMessage({ type: 'closed' });
  }
});

(kind === 'raw' ? rawViewers() : socketIoViewers()).then(
  (connected) => {
    viewers = connected;
    port.postMessage({ type: 'connected' });
  },
  (err: unknown) => port.postMessage({ type: 'failed', error: String(err) }),
);
