import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { RandomSource } from './random';
import { Sleeper } from './sleeper';

/** Clock, randomness and waiting, injectable everywhere so tests can pin them. */
@Global()
@Module({ providers: [Clock, RandomSource, Sleeper], exports: [Clock, RandomSource, Sleeper] })
export class CommonModule {}
