import { Module } from '@nestjs/common';
import { EconomyModule } from '../economy/economy.module';
import { LiveModule } from '../live/live.module';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics.server';
import { MetricsService } from './metrics.service';

/** Prometheus metrics: fed by the in-process events, served on prometheus_port or /metrics. */
@Module({
  imports: [EconomyModule, LiveModule],
  providers: [MetricsService, MetricsServer],
  controllers: [MetricsController],
  exports: [MetricsService],
})
export class MetricsModule {}
