import { Injectable } from '@nestjs/common';

/** Waiting, injectable so tests of throttled code never wait on real timers. */
@Injectable()
export class Sleeper {
  sleep(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }
}

/** For tests: records the waits and returns at once. */
export class InstantSleeper extends Sleeper {
  readonly waits: number[] = [];
  override sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    return Promise.resolve();
  }
}
