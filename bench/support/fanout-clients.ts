/**
 * Socket.IO viewers for the fan-out bench, in a worker thread so that receiving and parsing
 * thousands of messages does not run on the server's thread. Messages from the parent:
 * `{ type: 'expect' }` arms a one-shot `queue_diff` listener on every socket and answers
 * `armed`; when every socket has one, it posts `arrived` with each arrival time (ms since the
 * epoch, comparable across threads); `{ type: 'close' }` disconnects and answers `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Socket } from 'socket.io-client';
import { connectViewers } from './viewers';

const { url, cookie, count } = workerData as { url: string; cookie: string; count: number };
const port = parentPort;
if (!port) throw new Error('fanout-clients runs as a worker thread');
const sockets: Socket[] = [];

const now = (): number => performance.timeOrigin + performance.now();

async function connectAll(): Promise<void> {
  sockets.push(...(await connectViewers(url, cookie, count, { reconnection: false })));
}

port.on('message', (message: { type: 'expect' | 'close' }) => {
  if (message.type === 'expect') {
    const times: number[] = [];
    for (const socket of sockets) {
      socket.once('queue_diff', () => {
        times.push(now());
        if (times.length === sockets.length) port.postMessage({ type: 'arrived', times });
      });
    }
    port.postMessage({ type: 'armed' });
  } else {
    for (const socket of sockets) socket.disconnect();
    port.postMessage({ type: 'closed' });
  }
});

connectAll().then(
  () => port.postMessage({ type: 'connected' }),
  (err: unknown) => port.postMessage({ type: 'failed', error: String(err) }),
);
