import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { SpendJournal } from '../economy/spend-journal.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import { MediaCmsClient } from '../kryten/mediacms.client';
import { QueueShadowService } from '../queue/queue-shadow.service';

/**
 * What "ready to serve" means for webqueue, one terminus indicator each: the database answers,
 * api-gate answers and reaches NATS (the channel and the economy), MediaCMS answers with our
 * token, the playlist feed is fresh, and the unfinished purchases. MediaCMS and unfinished sagas
 * only degrade readiness: browsing works from the local catalog, and sagas settle on their own.
 */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly gate: ApiGateClient,
    private readonly mediacms: MediaCmsClient,
    private readonly shadow: QueueShadowService,
    private readonly journal: SpendJournal,
  ) {}

  async database(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    try {
      await this.dataSource.query('SELECT 1');
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  async apiGate(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('api_gate');
    try {
      const health = await this.gate.systemHealth();
      return health.nats_connected
        ? check.up()
        : check.down({ message: 'api-gate answers but is not connected to NATS' });
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  async mediaCms(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('mediacms');
    try {
      const { count } = await this.mediacms.ping();
      return check.up({ items: count });
    } catch (err) {
      return check.degraded({ message: (err as Error).message });
    }
  }

  feed(): HealthIndicatorResult {
    const check = this.indicators.check('feed');
    return this.shadow.isStale()
      ? check.down({ message: 'the playlist feed is stale: polls of api-gate are failing' })
      : check.up();
  }

  async sagas(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('unfinished_sagas');
    const count = await this.journal.countUnfinished();
    return count === 0
      ? check.up({ count })
      : check.degraded({ count, message: `${count} purchase(s) not settled yet` });
  }
}
