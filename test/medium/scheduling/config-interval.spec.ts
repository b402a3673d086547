import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../../../src/config/config.module';
import { ConfigInterval } from '../../../src/scheduling/config-interval';
import { SchedulingModule } from '../../../src/scheduling/scheduling.module';
import { testConfig } from '../../support/config';

@Injectable()
class Ticker {
  ticks = 0;

  @ConfigInterval('test-poll', (config) => config.state_poll_interval_sec * 1000)
  interval(): Promise<number> {
    return this.tick();
  }

  @ConfigInterval('test-off', (config) => config.catalog_sync_interval_hours * 3_600_000)
  off(): Promise<number> {
    return this.tick();
  }

  tick(): Promise<number> {
    return Promise.resolve(++this.ticks);
  }
}

describe('@ConfigInterval (periods from the config file)', () => {
  it('registers a timer with the configured period, none for a period of 0, and drops them on close', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(testConfig({ state_poll_interval_sec: 0.1, catalog_sync_interval_hours: 0 })),
        SchedulingModule,
      ],
      providers: [Ticker],
    }).compile();
    const app = await moduleRef.init();
    const registry = app.get(SchedulerRegistry);
    expect(registry.getIntervals()).toContain('test-poll');
    expect(registry.getIntervals()).not.toContain('test-off');
    const ticker = app.get(Ticker);
    for (let i = 0; i < 100 && ticker.ticks < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ticker.ticks).toBeGreaterThanOrEqual(2);
    await app.close();
    expect(registry.getIntervals()).not.toContain('test-poll');
  });
});
