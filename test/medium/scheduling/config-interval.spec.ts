import { type DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { Leadership } from '../../../src/cluster/leadership';
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

@Injectable()
class SocketsTicker {
  ticks = 0;

  @ConfigInterval('test-sockets', () => 20, { everyInstance: true })
  interval(): number {
    return ++this.ticks;
  }
}

/** A leadership the test hands over by hand. */
class SwitchedLeadership extends Leadership {
  leading = true;
  isLeader(): boolean {
    return this.leading;
  }
}

/** Leadership for the app under test (global, as the cluster module's is). */
function leadershipModule(leadership: Leadership): DynamicModule {
  @Global()
  @Module({})
  class TestLeadershipModule {}
  return {
    module: TestLeadershipModule,
    providers: [{ provide: Leadership, useValue: leadership }],
    exports: [Leadership],
  };
}

const until = async (done: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('@ConfigInterval (periods from the config file)', () => {
  it('registers a timer with the configured period, none for a period of 0, and drops them on close', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(testConfig({ state_poll_interval_sec: 0.1, catalog_sync_interval_hours: 0 })),
        SchedulingModule,
        leadershipModule(new SwitchedLeadership()),
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

  it("runs only in the leader, except work about this instance's own sockets", async () => {
    const leadership = new SwitchedLeadership();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(testConfig({ state_poll_interval_sec: 0.1 })),
        SchedulingModule,
        leadershipModule(leadership),
      ],
      providers: [Ticker, SocketsTicker],
    }).compile();
    const app = await moduleRef.init();
    const channel = app.get(Ticker);
    const sockets = app.get(SocketsTicker);
    await until(() => channel.ticks >= 2);
    leadership.leading = false; // another instance leads now
    await new Promise((r) => setTimeout(r, 150)); // a tick already started may still finish
    const followerStart = { channel: channel.ticks, sockets: sockets.ticks };
    await until(() => sockets.ticks >= followerStart.sockets + 10);
    expect(sockets.ticks).toBeGreaterThanOrEqual(followerStart.sockets + 10);
    expect(channel.ticks).toBe(followerStart.channel);
    leadership.leading = true; // this instance takes over
    await until(() => channel.ticks > followerStart.channel);
    expect(channel.ticks).toBeGreaterThan(followerStart.channel);
    await app.close();
  });
});
