import { Injectable } from '@nestjs/common';

/**
 * The one source of "now". Inject it wherever a rule depends on time; tests replace it
 * with a ManualClock (or drive it from the simulator's clock).
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
  nowMs(): number {
    return this.now().getTime();
  }
}

/** A clock that only moves when told to. */
export class ManualClock extends Clock {
  private current: number;
  constructor(start: Date | number = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    super();
    this.current = typeof start === 'number' ? start : start.getTime();
  }
  override now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date | number): void {
    this.current = typeof at === 'number' ? at : at.getTime();
  }
}
