import { setImmediate } from 'node:timers/promises';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Server } from 'socket.io';
import { Clock } from '../common/clock';
import { FANOUT_SLICES } from './fanout.rules';
import { ClusterBus } from '../cluster/cluster-bus';
import { Leadership } from '../cluster/leadership';
import { QueueShadowService } from '../queue/queue-shadow.service';
import type { QueueState } from '../queue/queue-state.enrich';
import { type QueueDiff, queueDiff, retimed, type VersionedQueueState } from './queue-diff.rules';
import {
  type FeedStatusEvent,
  type ImportProgressEvent,
  type PaidInsertRecordedEvent,
  type JobRunEvent,
  LiveEvent,
  type PresenceEvent,
  type PromoPreviewEvent,
  type RefundEvent,
  type SagaStepEvent,
} from './live.events';

export interface ScheduleFiredEvent {
  schedule_id: number;
  playlist_name: string;
  is_immutable: boolean;
}

/** Every event the server sends to browsers, with its payload. */
export interface ClientEventMap {
  /** On connect, on `queue_resync`, the first change a leader sends (at start, on taking over). */
  queue_state: VersionedQueueState;
  /** Every other change: what changed since the version the page holds. */
  queue_diff: QueueDiff;
  schedule_fired: ScheduleFiredEvent;
  feed_status: FeedStatusEvent;
  /** Admin room only. */
  saga_step: SagaStepEvent;
  refund: RefundEvent;
  presence: PresenceEvent;
  job_run: JobRunEvent;
  promo_preview: PromoPreviewEvent;
  import_progress: ImportProgressEvent;
  /** To one viewer's sockets: their balance changed (the page reads it again). */
  balance_changed: { reason: 'refund' | 'purchase' };
  pong: { at: string };
  auth_error: { detail: string };
}

export type ClientEvent = keyof ClientEventMap;

/** Where the old `/ws` frames go (LegacyWsServer). */
export interface LegacyFrameSink {
  broadcast(type: 'queue_state' | 'schedule_fired', data: unknown): void;
}

/** The admin room (rank ≥ 3). */
export const ADMIN_ROOM = 'admin';
/** Every socket of one viewer (their balance changed). */
export const userRoom = (username: string): string => `user:${username.toLowerCase()}`;

/** At most one queue_state broadcast per this many ms (bursts of changes are coalesced). */
export const QUEUE_STATE_MIN_GAP_MS = 250;
const SNAPSHOT_TTL_MS = 1000;
/** Frames for the raw `/ws` clients of the other instances. */
const LEGACY_CHANNEL = 'live.legacy';
/** The leader's last queue state sent, with its version, for the other instances' connects. */
const SENT_CHANNEL = 'live.queue-sent';

interface SentState {
  version: number;
  state: QueueState;
}

/**
 * Sends typed events to browsers over Socket.IO (the gateway attaches the server), and turns
 * in-process LiveEvents into socket events: queue changes as versioned diffs (coalesced),
 * schedule_fired and feed_status to everyone, saga/refund/presence/jobs/promo preview to the admin room.
 *
 * Queue versions have one owner: the leader. With several instances it alone broadcasts queue
 * changes (its own and those the bus tells it of, which every instance's shadow applies), to the
 * pages of every instance (Socket.IO over Redis), and tells the others each state it sent, so a
 * page connecting anywhere gets exactly the version the next diff follows.
 */
@Injectable()
export class LiveService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Live');
  private server: Server | null = null;
  /** The old raw `/ws` endpoint, when it is up: it gets queue_state and schedule_fired too. */
  private legacy: LegacyFrameSink | null = null;
  private windowTimer: NodeJS.Timeout | null = null;
  private pendingQueueState = false;
  private sending: Promise<void> = Promise.resolve();
  /** The last enriched state, reused by connects within a second (a reconnect storm = one query). */
  private snapshotCache: { atMs: number; state: Promise<QueueState> } | null = null;
  /** The last state the browsers were sent, and its version: the next diff follows it. */
  private sent: SentState | null = null;
  /** The next broadcast is a whole state: this instance has just taken the lead. */
  private wholeNext = false;

  constructor(
    private readonly shadow: QueueShadowService,
    private readonly clock: Clock,
    private readonly bus: ClusterBus,
    private readonly leadership: Leadership,
  ) {
    // The raw `/ws` clients of this instance hear what the other instances broadcast.
    this.bus.subscribe(LEGACY_CHANNEL, (message) => {
      const frame = message as { type: 'queue_state' | 'schedule_fired'; data: unknown };
      this.legacy?.broadcast(frame.type, frame.data);
    });
    this.bus.subscribe(SENT_CHANNEL, (message) => {
      if (!this.leadership.isLeader()) this.sent = message as SentState;
    });
  }

  /**
   * With several instances: on taking the lead, a whole state to every page. The old leader may
   * have sent a version this one never heard of; a whole state replaces whatever a page holds.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.bus.shared) return;
    await this.leadership.whenLeader('send the queue to every page', () => {
      this.wholeNext = true;
      this.onQueueChanged();
    });
  }

  attach(server: Server): void {
    this.server = server;
  }

  attachLegacy(sink: LegacyFrameSink): void {
    this.legacy = sink;
  }

  /** Emit to everyone, or to one room / socket id. The payload is serialised once per call. */
  send<E extends ClientEvent>(event: E, payload: ClientEventMap[E], room?: string): void {
    if (room === undefined) this.toLegacy(event, payload);
    if (!this.server) return;
    const target = room === undefined ? this.server : this.server.to(room);
    target.emit(event, payload);
  }

  /** The raw `/ws` clients (here and, through the bus, on the other instances) get these too. */
  private toLegacy<E extends ClientEvent>(event: E, payload: ClientEventMap[E]): void {
    if (event !== 'queue_state' && event !== 'schedule_fired') return;
    this.legacy?.broadcast(event, payload);
    if (this.bus.shared) this.bus.publish(LEGACY_CHANNEL, { type: event, data: payload });
  }

  /** Emit to everyone one slice room at a time, yielding between slices (see FANOUT_SLICES). */
  private async sendInSlices<E extends ClientEvent>(event: E, payload: ClientEventMap[E]): Promise<void> {
    for (let slice = 0; slice < FANOUT_SLICES; slice++) {
      if (!this.server) return;
      this.server.to(`slice:${slice}`).emit(event, payload);
      if (slice < FANOUT_SLICES - 1) await setImmediate();
    }
  }

  /** The Socket.IO server once the gateway is up (benchmarks hook its engine). */
  io(): Server | null {
    return this.server;
  }

  /** Number of connected sockets (health, benchmarks). */
  connectedCount(): number {
    return this.server?.of('/').sockets.size ?? 0;
  }

  @OnEvent(LiveEvent.QueueChanged)
  onQueueChanged(): void {
    this.snapshotCache = null;
    // The leader tells every page of every instance's change (see the class comment).
    if (this.bus.shared && !this.leadership.isLeader()) return;
    if (this.windowTimer) {
      this.pendingQueueState = true;
      return;
    }
    this.broadcastQueueState();
    this.windowTimer = setTimeout(() => this.closeWindow(), QUEUE_STATE_MIN_GAP_MS);
    this.windowTimer.unref();
  }

  @OnEvent(LiveEvent.ScheduleFired)
  onScheduleFired(payload: ScheduleFiredEvent): void {
    this.send('schedule_fired', payload);
  }

  @OnEvent(LiveEvent.FeedStatus)
  onFeedStatus(payload: FeedStatusEvent): void {
    this.send('feed_status', payload);
  }

  @OnEvent(LiveEvent.SagaStep)
  onSagaStep(payload: SagaStepEvent): void {
    this.send('saga_step', payload, ADMIN_ROOM);
  }

  @OnEvent(LiveEvent.Refund)
  onRefund(payload: RefundEvent): void {
    this.send('refund', payload, ADMIN_ROOM);
    // the viewer's navbar balance, in every tab that listens
    if (payload.success) this.send('balance_changed', { reason: 'refund' }, userRoom(payload.username));
  }

  /** A purchase of theirs was placed: the viewer's other tabs update their balance. */
  @OnEvent(LiveEvent.PaidInsertRecorded)
  onPaid(payload: PaidInsertRecordedEvent): void {
    this.send('balance_changed', { reason: 'purchase' }, userRoom(payload.username));
  }

  @OnEvent(LiveEvent.Presence)
  onPresence(payload: PresenceEvent): void {
    this.send('presence', payload, ADMIN_ROOM);
  }

  @OnEvent(LiveEvent.JobRun)
  onJobRun(payload: JobRunEvent): void {
    this.send('job_run', payload, ADMIN_ROOM);
  }

  @OnEvent(LiveEvent.ImportProgress)
  onImportProgress(payload: ImportProgressEvent): void {
    this.send('import_progress', payload, ADMIN_ROOM);
  }

  @OnEvent(LiveEvent.PromoPreview)
  onPromoPreview(payload: PromoPreviewEvent): void {
    this.send('promo_preview', payload, ADMIN_ROOM);
  }

  /** The enriched state for a new connection. */
  snapshot(): Promise<QueueState> {
    const nowMs = this.clock.nowMs();
    if (!this.snapshotCache || nowMs - this.snapshotCache.atMs > SNAPSHOT_TTL_MS) {
      this.snapshotCache = { atMs: nowMs, state: this.shadow.getEnrichedState() };
    }
    return this.snapshotCache.state;
  }

  /**
   * The whole state for one page (a connect, a `queue_resync`): the last version sent, timed
   * from now, so the next diff follows it exactly. (A newer state would not do: the next diff's
   * order splice is counted on that version's order.) Before anything was sent, the state now
   * as version 0, which no diff follows: the first broadcast is a whole state.
   */
  async versionedSnapshot(): Promise<VersionedQueueState> {
    const sent = this.sent;
    if (sent) return retimed({ ...sent.state, version: sent.version }, this.clock.nowMs());
    return { ...(await this.snapshot()), version: 0 };
  }

  /**
   * Runs `work` between two broadcasts, never during one: a page's joining and first state go
   * here, so it gets every later change exactly once (a broadcast goes out a slice at a time,
   * and a page joining its slice mid-way would otherwise get that change on top of its state).
   */
  inOrder(work: () => Promise<void>): Promise<void> {
    const run = this.sending.then(work);
    this.sending = run.catch(() => undefined);
    return run;
  }

  /** Sends a queue_state held back by the coalescing window now, and resolves when every
   * queue_state started so far has gone out (tests, benchmarks). */
  flush(): Promise<void> {
    if (this.pendingQueueState && this.windowTimer) {
      clearTimeout(this.windowTimer);
      this.windowTimer = null;
      this.pendingQueueState = false;
      this.onQueueChanged();
    }
    return this.sending;
  }

  onModuleDestroy(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
  }

  private closeWindow(): void {
    this.windowTimer = null;
    if (!this.pendingQueueState) return;
    this.pendingQueueState = false;
    this.onQueueChanged();
  }

  /**
   * One change to every page: a diff against the last state sent, serialised once for all
   * sockets (a whole state the first time, and on taking the lead). The raw `/ws` clients get
   * the whole state.
   */
  private broadcastQueueState(): void {
    this.sending = this.sending.then(async () => {
      try {
        this.snapshotCache = null;
        const state = await this.snapshot();
        const previous = this.wholeNext ? null : this.sent;
        this.wholeNext = false;
        const version = (this.sent?.version ?? 0) + 1;
        this.sent = { version, state };
        if (this.bus.shared) this.bus.publish(SENT_CHANNEL, this.sent);
        const whole = { ...state, version };
        this.toLegacy('queue_state', whole);
        if (!previous) {
          await this.sendInSlices('queue_state', whole);
          return;
        }
        await this.sendInSlices('queue_diff', queueDiff(previous.state, state, previous.version, version));
      } catch (err) {
        this.logger.error(`queue_state broadcast failed: ${(err as Error).message}`);
      }
    });
  }
}
