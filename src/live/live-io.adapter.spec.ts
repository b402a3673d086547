import { EventEmitter } from 'node:events';
import type { INestApplicationContext } from '@nestjs/common';
import { from, of } from 'rxjs';
import { SeededRandom } from '../common/random';
import { LiveIoAdapter } from './live-io.adapter';

type Bind = Parameters<LiveIoAdapter['bindMessageHandlers']>;

function adapter(): LiveIoAdapter {
  return new LiveIoAdapter({} as INestApplicationContext, new SeededRandom(1));
}

/** What Nest's adapter filed for a socket in its (private) disconnect table. */
function filed(io: LiveIoAdapter, socket: object): unknown {
  return (io as unknown as { disconnectMap: WeakMap<object, unknown> }).disconnectMap.get(socket);
}

describe('LiveIoAdapter: binding a socket to its gateway', () => {
  it('files nothing for a socket when the gateway has no message handlers', () => {
    const io = adapter();
    const socket = new EventEmitter();
    io.bindMessageHandlers(socket as Bind[0], [], (data) => of(data));
    expect(filed(io, socket)).toBeUndefined();
    expect(socket.eventNames()).toEqual([]);
  });

  it('still binds message handlers as Nest does when a gateway has them', async () => {
    const io = adapter();
    const socket = new EventEmitter();
    const seen: unknown[] = [];
    const acks: unknown[] = [];
    io.bindMessageHandlers(
      socket as Bind[0],
      [
        {
          message: 'hello',
          methodName: 'hello',
          callback: (data: unknown) => (seen.push(data), Promise.resolve('hi')),
          isAckHandledManually: false,
        },
      ],
      (result) => from(result as Promise<unknown>),
    );
    socket.emit('hello', [{ name: 'ann' }, (answer: unknown) => acks.push(answer)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([{ name: 'ann' }]);
    expect(acks).toEqual(['hi']);
    expect(filed(io, socket)).toBeDefined();
  });
});
