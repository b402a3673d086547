import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EconomyModule } from '../economy/economy.module';
import { QueueModule } from '../queue/queue.module';
import { HealthController } from './health.controller';
import { ReadinessIndicators } from './readiness.indicators';

/** `GET /health` (liveness) and `GET /health/ready` (readiness, terminus indicators). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), QueueModule, EconomyModule],
  controllers: [HealthController],
  providers: [ReadinessIndicators],
})
export class HealthModule {}
