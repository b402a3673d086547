import { Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'node:crypto';

/**
 * The one source of randomness for rules (promo picks, placeholder art). Security
 * randomness (OTP codes, request ids) also goes through here so tests can pin it.
 */
@Injectable()
export class RandomSource {
  /** A float in [0, 1). */
  next(): number {
    return Math.random();
  }
  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  /** Cryptographically strong integer in [0, max) (OTP codes). */
  secureInt(max: number): number {
    return randomInt(max);
  }
  uuid(): string {
    return randomUUID();
  }
}

/** mulberry32: a small, fast, seedable PRNG. Same seed, same sequence. */
export class SeededRandom extends RandomSource {
  private state: number;
  draws = 0;
  constructor(readonly seed: number) {
    super();
    this.state = seed >>> 0;
  }
  override next(): number {
    this.draws++;
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  override secureInt(max: number): number {
    return this.int(max);
  }
  override uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
