import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

type Handler = (payload: unknown) => void;

/**
 * Messages between instances (the leader's poll, a revoked session, a job to cancel). Every
 * instance hears every message except its own. With one instance there is nobody to tell.
 */
export abstract class ClusterBus {
  abstract publish(channel: string, payload: unknown): void;
  abstract subscribe(channel: string, handler: Handler): void;
  /** Whether other instances can exist (Redis is configured). */
  abstract readonly shared: boolean;
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** One instance: publishing reaches nobody. */
export class SoloBus extends ClusterBus {
  readonly shared = false;
  publish(): void {}
  subscribe(): void {}
}

const PREFIX = 'webqueue:';

/** Redis pub/sub: one connection publishes, one listens. */
export class RedisBus extends ClusterBus {
  readonly shared = true;
  private readonly logger = new Logger('ClusterBus');
  private readonly handlers = new Map<string, Handler[]>();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly instance: string,
  ) {
    super();
    sub.on('message', (channel: string, message: string) => this.deliver(channel, message));
  }

  publish(channel: string, payload: unknown): void {
    const message = JSON.stringify({ from: this.instance, payload });
    this.pub.publish(PREFIX + channel, message).catch((err: Error) => {
      this.logger.warn(`publish on ${channel} failed: ${err.message}`);
    });
  }

  subscribe(channel: string, handler: Handler): void {
    const list = this.handlers.get(channel);
    if (list) {
      list.push(handler);
      return;
    }
    this.handlers.set(channel, [handler]);
    void this.sub.subscribe(PREFIX + channel);
  }

  override close(): Promise<void> {
    this.pub.disconnect();
    this.sub.disconnect();
    return Promise.resolve();
  }

  private deliver(channel: string, message: string): void {
    const handlers = this.handlers.get(channel.slice(PREFIX.length));
    if (!handlers) return;
    let parsed: { from: string; payload: unknown };
    try {
      parsed = JSON.parse(message) as { from: string; payload: unknown };
    } catch {
      return;
    }
    if (parsed.from === this.instance) return;
    for (const handler of handlers) {
      try {
        handler(parsed.payload);
      } catch (err) {
        this.logger.error(`handler of ${channel} failed: ${(err as Error).message}`);
      }
    }
  }
}
