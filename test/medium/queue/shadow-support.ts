import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { CommonModule } from '../../../src/common/common.module';
import { Clock, ManualClock } from '../../../src/common/clock';
import type { AppConfig } from '../../../src/config/app-config';
import { ConfigModule } from '../../../src/config/config.module';
import { DatabaseModule } from '../../../src/database/database.module';
import type { PlaylistItem } from '../../../src/kryten/api-gate.types';
import { KrytenModule } from '../../../src/kryten/kryten.module';
import { LiveEvent } from '../../../src/live/live.events';
import { QueueShadowRepository } from '../../../src/queue/queue-shadow.repository';
import { EventLockListener } from '../../../src/schedules/event-lock.listener';
import { SchedulesRepository } from '../../../src/schedules/schedules.repository';
import { QueueShadowService } from '../../../src/queue/queue-shadow.service';
import { QueueCatalog } from '../../../src/queue/queue-state.enrich';
import { StatePoller } from '../../../src/queue/queue.poller';
import { testConfig } from '../../support/config';

/** A catalog that knows nothing (tests that need hits pass their own). */
export const emptyCatalog: QueueCatalog = {
  findForQueue: () => Promise.resolve(new Map()),
  getItemDetails: () => Promise.resolve(null),
};

export interface ShadowHarness {
  moduleRef: TestingModule;
  shadow: QueueShadowService;
  poller: StatePoller;
  repo: QueueShadowRepository;
  clock: ManualClock;
  config: AppConfig;
  /** Every LiveEvent emitted, in order. */
  events: { name: string; payload: unknown }[];
  close(): Promise<void>;
}

/** The queue shadow and poller on a real SQLite copy (no scheduler, manual clock). */
export async function shadowHarness(
  options: { config?: AppConfig; catalog?: QueueCatalog; clock?: ManualClock } = {},
): Promise<ShadowHarness> {
  const config = options.config ?? testConfig();
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 5, 14, 12, 0, 0));
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      CommonModule,
      DatabaseModule.forRoot(),
      EventEmitterModule.forRoot(),
      KrytenModule,
    ],
    providers: [
      QueueShadowRepository,
      QueueShadowService,
      StatePoller,
      // the schedules' listener that lifts the event lock after a poll
      SchedulesRepository,
      EventLockListener,
      { provide: QueueCatalog, useValue: options.catalog ?? emptyCatalog },
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  const events: { name: string; payload: unknown }[] = [];
  const emitter = moduleRef.get(EventEmitter2);
  for (const name of Object.values(LiveEvent)) {
    emitter.on(name, (payload: unknown) => events.push({ name, payload }));
  }
  return {
    moduleRef,
    shadow: moduleRef.get(QueueShadowService),
    poller: moduleRef.get(StatePoller),
    repo: moduleRef.get(QueueShadowRepository),
    clock,
    config,
    events,
    close: () => moduleRef.close(),
  };
}

/** A polled playlist entry. */
export function entry(
  uid: number,
  extra: Partial<PlaylistItem['media']> = {},
  queueby = 'Alice',
): PlaylistItem {
  return {
    uid,
    temp: true,
    queueby,
    media: {
      id: `https://cms/m${uid}.json`,
      title: `Title ${uid}`,
      seconds: 100,
      duration: '01:40',
      type: 'cm',
      ...extra,
    },
  };
}
