import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { readdir } from 'node:fs/promises';
import { OnEvent } from '@nestjs/event-emitter';
import type { Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SpendJournal } from '../economy/spend-journal.service';
import {
  type FeedStatusEvent,
  type JobRunEvent,
  LiveEvent,
  type PollFailedEvent,
  type PromoDecidedEvent,
  type RefundEvent,
  type SagaStepEvent,
} from '../live/live.events';
import { LiveService } from '../live/live.service';
import { LegacyWsServer } from '../live/legacy-ws.server';
import { LongestSinceRead, watchGcPauses } from './longest-pause';

/** prom-client's default metrics whose cost grows with the open sockets (see the constructor). */
const PER_HANDLE_DEFAULT_METRICS = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'process_open_fds',
];

/** How a purchase ended, by the saga state it ended in. */
const FINAL_STATES: ReadonlySet<string> = new Set(['recorded', 'refunded', 'failed', 'uncertain']);
/** Refund reasons that are presence cancellations. */
const PRESENCE_REASONS: ReadonlySet<string> = new Set(['owner_left', 'owner_afk']);

/**
 * The Prometheus metrics (prom-client), fed by the in-process events every module already emits,
 * so no feature code knows about them: polls and their failures, feed staleness, purchases by
 * outcome, refunds by reason, Z spent and refunded, saga steps and unfinished sagas, presence
 * cancellations, promo decisions, job runs, connected sockets, and HTTP latency per route.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly stopGcWatch: () => void;
  private readonly polls = new Counter({
    name: 'webqueue_polls_total',
    help: 'State polls of api-gate, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly feedStale = new Gauge({
    name: 'webqueue_feed_stale',
    help: '1 while the playlist feed is stale (polls failing), else 0',
    registers: [this.registry],
  });
  private readonly feedStaleSince = new Gauge({
    name: 'webqueue_feed_stale_since_seconds',
    help: 'Unix time the feed went stale (0 when fresh)',
    registers: [this.registry],
  });
  private readonly purchases = new Counter({
    name: 'webqueue_purchases_total',
    help: 'Pay-to-play purchases by the state they ended in (recorded, refunded, failed, uncertain)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly sagaSteps = new Counter({
    name: 'webqueue_saga_steps_total',
    help: 'Pay-to-play saga steps, by state',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly zSpent = new Counter({
    name: 'webqueue_z_spent_total',
    help: 'Z taken by the economy for purchases',
    registers: [this.registry],
  });
  private readonly refunds = new Counter({
    name: 'webqueue_refunds_total',
    help: 'Refunds made, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly zRefunded = new Counter({
    name: 'webqueue_z_refunded_total',
    help: 'Z given back by refunds',
    registers: [this.registry],
  });
  private readonly presenceCancellations = new Counter({
    name: 'webqueue_presence_cancellations_total',
    help: 'Paid items cancelled and refunded because their owner left or went AFK',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly promoDecisions = new Counter({
    name: 'webqueue_promo_decisions_total',
    help: 'Promo director decisions, by outcome and promo type',
    labelNames: ['outcome', 'promo_type'],
    registers: [this.registry],
  });
  private readonly jobRuns = new Counter({
    name: 'webqueue_job_runs_total',
    help: 'Finished background job runs, by job and status',
    labelNames: ['job', 'status'],
    registers: [this.registry],
  });
  private readonly http = new Histogram({
    name: 'webqueue_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(
    private readonly journal: SpendJournal,
    private readonly live: LiveService,
    private readonly legacyWs: LegacyWsServer,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'webqueue_' });
    // These walk every libuv handle, or list /proc/self/fd, synchronously on each scrape: with
    // 5,000 sockets that held the event loop about 100 ms a scrape. Connected sockets have their
    // own gauge below, and open descriptors are listed off the loop.
    for (const name of PER_HANDLE_DEFAULT_METRICS) this.registry.removeSingleMetric(`webqueue_${name}`);
    new Gauge({
      name: 'webqueue_process_open_fds',
      help: 'Number of open file descriptors.',
      registers: [this.registry],
      collect: async function (this: Gauge) {
        // One of the entries is the descriptor readdir itself opened.
        const entries = await readdir('/proc/self/fd').catch(() => null);
        if (entries) this.set(entries.length - 1);
      },
    });
    new Gauge({
      name: 'webqueue_unfinished_sagas',
      help: 'Pay-to-play sagas not settled yet (in flight, uncertain or waiting for the reconciler)',
      registers: [this.registry],
      collect: async function (this: Gauge) {
        this.set(await journal.countUnfinished());
      },
    });
    new Gauge({
      name: 'webqueue_sockets_connected',
      help: 'Connected live sockets, by protocol',
      labelNames: ['protocol'],
      registers: [this.registry],
      collect: function (this: Gauge) {
        this.set({ protocol: 'socket.io' }, live.connectedCount());
        this.set({ protocol: 'ws' }, legacyWs.connectedCount());
      },
    });
    // The GC histogram's buckets say how many pauses were long, not how long the longest was:
    // that one is the floor under the event loop's longest hold of the same window.
    const longestGcPause = new LongestSinceRead();
    this.stopGcWatch = watchGcPauses((ms) => longestGcPause.observe(ms));
    new Gauge({
      name: 'webqueue_gc_pause_longest_seconds',
      help: 'The longest single garbage-collection pause since the last scrape',
      registers: [this.registry],
      collect: function (this: Gauge) {
        this.set(longestGcPause.read() / 1000);
      },
    });
  }

  onModuleDestroy(): void {
    this.stopGcWatch();
  }

  /** The exposition text for a scrape. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** One latency observation per request, labelled by its route pattern (a request observer). */
  readonly observeRequest = (req: Request, res: Response, seconds: number): void => {
    const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
    this.http.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
  };

  @OnEvent(LiveEvent.Polled)
  onPolled(): void {
    this.polls.inc({ outcome: 'ok' });
  }

  @OnEvent(LiveEvent.PollFailed)
  onPollFailed(_event: PollFailedEvent): void {
    this.polls.inc({ outcome: 'failed' });
  }

  @OnEvent(LiveEvent.FeedStatus)
  onFeedStatus(event: FeedStatusEvent): void {
    this.feedStale.set(event.stale ? 1 : 0);
    this.feedStaleSince.set(event.stale && event.since ? Date.parse(event.since) / 1000 : 0);
  }

  @OnEvent(LiveEvent.SagaStep)
  onSagaStep(event: SagaStepEvent): void {
    this.sagaSteps.inc({ state: event.state });
    if (event.state === 'spent') this.zSpent.inc(event.z_cost ?? 0);
    if (FINAL_STATES.has(event.state)) this.purchases.inc({ outcome: event.state });
  }

  @OnEvent(LiveEvent.Refund)
  onRefund(event: RefundEvent): void {
    if (!event.success) return;
    this.refunds.inc({ reason: event.reason });
    this.zRefunded.inc(event.refunded_z ?? 0);
    if (PRESENCE_REASONS.has(event.reason)) this.presenceCancellations.inc({ reason: event.reason });
  }

  @OnEvent(LiveEvent.PromoDecided)
  onPromoDecided(event: PromoDecidedEvent): void {
    this.promoDecisions.inc({ outcome: event.outcome, promo_type: event.promo_type });
  }

  @OnEvent(LiveEvent.JobRun)
  onJobRun(event: JobRunEvent): void {
    if (event.ended_at !== null) this.jobRuns.inc({ job: event.job_name, status: event.status });
  }
}
