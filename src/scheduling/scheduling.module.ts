import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfigIntervalScheduler } from './config-interval';

/**
 * The timers: @nestjs/schedule (`@Interval` with fixed periods) and ConfigIntervalScheduler
 * (`@ConfigInterval`, periods from the config file). Left out of the app in tests that drive
 * every `tick()` by hand.
 */
@Module({
  imports: [ScheduleModule.forRoot(), DiscoveryModule],
  providers: [ConfigIntervalScheduler],
})
export class SchedulingModule {}
