import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { RandomSource } from './random';

/** Clock and randomness, injectable everywhere so tests can pin them. */
@Global()
@Module({ providers: [Clock, RandomSource], exports: [Clock, RandomSource] })
export class CommonModule {}
