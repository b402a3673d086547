import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { RandomSource, SeededRandom } from '../common/random';
import type { PromosConfig } from '../config/app-config';
import { LiveEvent, type PaidInsertRecordedEvent, type PromoDecidedEvent } from '../live/live.events';
import { QueueInsertService } from '../queue/queue-insert.service';
import { QueueMutex } from '../queue/queue-mutex';
import { QueueShadowService } from '../queue/queue-shadow.service';
import { SchedulesService } from '../schedules/schedules.service';
import { PromoPoolsService } from './promo-pools.service';
import { PROMO_SETTING_KEYS, PromoSettingsRepository } from './promo-settings.repository';
import { PromoSettingsService } from './promo-settings.service';
import {
  anchorBefore,
  decideLeadInFor,
  decidePromos,
  type DirectorState,
  initialDirectorState,
  type PersistedDirectorState,
  persistedPart,
  type PromoDecision,
  type PromoInsert,
  type PromoWorld,
} from './promo.rules';

export type InsertOutcome =
  /** Added and confirmed directly before its item. */
  | 'inserted'
  /** Added, but the move was not confirmed yet: kept and marked (a slow CyTube), never re-added. */
  | 'unconfirmed'
  /** Shadow mode: logged only. */
  | 'would_insert'
  | 'failed'
  /** The content item started playing or left before we got to it. */
  | 'skipped';

/** One line of the "recent promo decisions" list (admin page). */
export interface PromoDecisionRecord {
  at: string;
  source: 'poll' | 'pay';
  slot: string;
  promo_type: string;
  clip_title: string | null;
  clip_media_id: string;
  target_uid: number;
  uid: number | null;
  outcome: InsertOutcome;
  error?: string;
  seed: number | null;
  draws: number;
}

export interface PromoTickSummary {
  /** Why nothing was considered (disabled, immutable_event, stale, …), else null. */
  idle: string | null;
  target_uid: number | null;
  general_due: boolean;
  inserted: number;
  unconfirmed: number;
  would_insert: number;
  failed: number;
  skipped: number;
  adopted: number;
  seed: number | null;
  draws: number;
}

const RECENT_DECISIONS = 50;

/**
 * Inserts promos between content: driven by every successful poll (StatePoller
 * listener), and by every recorded paid insert for its Viewer's Choice lead-in. Decisions are
 * `decidePromos` (promo.rules.ts); this class reads the world, executes the inserts under the
 * QueueMutex (add at the end as a temp item, move before the right item, confirm by read-back —
 * QueueInsertService, as the pay saga does) and marks the promos in the shadow.
 */
@Injectable()
export class PromoDirector {
  private readonly logger = new Logger('PromoDirector');
  private state: DirectorState = initialDirectorState();
  private loaded = false;
  private persistedJson = '';
  private running = false;
  private readonly recent: PromoDecisionRecord[] = [];

  constructor(
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
    private readonly insert: QueueInsertService,
    private readonly pools: PromoPoolsService,
    private readonly schedules: SchedulesService,
    private readonly settings: PromoSettingsService,
    private readonly settingsRepo: PromoSettingsRepository,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly events: EventEmitter2,
  ) {}

  /** A promo round after every successful poll (the poller awaits it). */
  @OnEvent(LiveEvent.Polled)
  afterPoll(): Promise<PromoTickSummary> {
    return this.tick();
  }

  /** The Viewer's Choice lead-in, inside the purchase (the saga awaits it under the mutex). */
  @OnEvent(LiveEvent.PaidInsertRecorded)
  afterPaidInsert(paid: PaidInsertRecordedEvent): Promise<PromoTickSummary> {
    return this.leadInForPaidLocked(paid);
  }

  /** Most recent first. */
  recentDecisions(): PromoDecisionRecord[] {
    return [...this.recent].reverse();
  }

  /** One round after a poll. Takes the QueueMutex itself. */
  async tick(): Promise<PromoTickSummary> {
    if (this.running) return summary({ idle: 'running' });
    this.running = true;
    try {
      if (this.shadow.isStale()) return summary({ idle: 'stale' });
      await this.loadState();
      const config = await this.settings.effective();
      if (!config.enabled) {
        // Still follow now-playing (disabled → nothing counts), without touching the database.
        return await this.mutex.runExclusive(() => this.round(config, { pools: {}, immutable_event: false }));
      }
      // Read the event state only once the mutex is ours: a fire that held it until now has
      // recorded its event by then (reading it before waiting let promos into a fresh event).
      return await this.mutex.runExclusive(async () => {
        const [immutable, view] = await Promise.all([
          this.schedules.immutableEventRunning(),
          this.pools.load(),
        ]);
        return this.round(config, { pools: view.pools, immutable_event: immutable });
      });
    } finally {
      this.running = false;
    }
  }

  /**
   * The Viewer's Choice lead-in right after a paid insert, called by the pay saga while it holds
   * the QueueMutex. Never throws (a promo must not fail a purchase).
   */
  async leadInForPaidLocked(paid: PaidInsertRecordedEvent): Promise<PromoTickSummary> {
    try {
      await this.loadState();
      const config = await this.settings.effective();
      if (!config.enabled) return summary({ idle: 'disabled' });
      const [immutable, view] = await Promise.all([
        this.schedules.immutableEventRunning(),
        this.pools.load(),
      ]);
      const decision = this.decide((random) =>
        decideLeadInFor(
          this.shadow.items(),
          this.shadow.nowPlayingIndex(),
          paid.uid,
          this.state,
          config,
          this.clock.nowMs(),
          random,
          { pools: view.pools, immutable_event: immutable },
        ),
      );
      return await this.apply(decision, config, 'pay');
    } catch (err) {
      this.logger.error(`Viewer's Choice for uid ${paid.uid} failed: ${(err as Error).message}`);
      return summary({ idle: 'error', failed: 1 });
    }
  }

  // --- internals ---

  /** One poll round under the mutex (also when disabled: the state follows now-playing, so enabling later does not count the past). */
  private async round(config: PromosConfig, world: PromoWorld): Promise<PromoTickSummary> {
    const decision = this.decide((random) =>
      decidePromos(
        this.shadow.items(),
        this.shadow.nowPlayingIndex(),
        this.state,
        config,
        this.clock.nowMs(),
        random,
        world,
      ),
    );
    return this.apply(decision, config, 'poll');
  }

  /** Each decision draws from its own seeded source, so it can be replayed from the log. */
  private decide(fn: (random: SeededRandom) => PromoDecision): PromoDecision {
    return fn(new SeededRandom(this.random.int(2 ** 31)));
  }

  private async apply(
    decision: PromoDecision,
    config: PromosConfig,
    source: 'poll' | 'pay',
  ): Promise<PromoTickSummary> {
    this.state = decision.state;
    const result = summary({
      idle: decision.idle,
      target_uid: decision.target_uid,
      general_due: decision.general_due,
      seed: decision.seed,
      draws: decision.draws,
    });
    for (const adoption of decision.adoptions) {
      await this.shadow.updateMetadata(adoption.uid, {
        is_promo: true,
        promo_type: adoption.promo_type,
        lead_in_for_uid: adoption.lead_in_for_uid,
      });
      this.logger.log(`adopted late promo uid ${adoption.uid} for ${adoption.slot}`);
      result.adopted++;
    }
    const leadIns = new Map<number, number>();
    for (const ins of decision.inserts) {
      const { outcome, uid, error } = config.shadow_mode
        ? { outcome: 'would_insert' as const, uid: null, error: undefined }
        : await this.execute(ins, leadIns);
      const mark = this.state.slots[ins.slot];
      if (mark) {
        mark.uid = uid;
        if (outcome === 'inserted' || outcome === 'unconfirmed' || outcome === 'would_insert') {
          mark.status = 'served';
        }
        if (outcome === 'skipped') delete this.state.slots[ins.slot];
      }
      if (uid !== null && ins.kind === 'lead_in') leadIns.set(ins.target_uid, uid);
      result[outcome]++;
      this.record({
        at: this.clock.now().toISOString(),
        source,
        slot: ins.slot,
        promo_type: ins.promo_type,
        clip_title: ins.clip.title,
        clip_media_id: ins.clip.media_id,
        target_uid: ins.target_uid,
        uid,
        outcome,
        ...(error ? { error } : {}),
        seed: decision.seed,
        draws: decision.draws,
      });
      const what = `${ins.promo_type} "${ins.clip.title ?? ins.clip.media_id}" before uid ${ins.before_uid} (${ins.slot}, seed ${decision.seed}, ${decision.draws} draws)`;
      if (outcome === 'would_insert') this.logger.log(`[shadow] would insert ${what}`);
      else if (outcome === 'failed') this.logger.warn(`promo insert failed: ${what}: ${error}`);
      else this.logger.log(`promo ${outcome}: ${what} → uid ${uid}`);
    }
    await this.saveState();
    return result;
  }

  /** Add at the end (temp), move directly before its item, confirm, mark it in the shadow. */
  private async execute(
    ins: PromoInsert,
    leadInsThisRound: ReadonlyMap<number, number>,
  ): Promise<{ outcome: InsertOutcome; uid: number | null; error?: string }> {
    const snap = await this.insert.snapshot();
    if (!snap.live) return { outcome: 'failed', uid: null, error: 'live playlist unavailable' };
    const uids = snap.entries.map((e) => e.uid);
    if (!uids.includes(ins.target_uid) || snap.nowPlayingUid === ins.target_uid) {
      return { outcome: 'skipped', uid: null };
    }
    const before = ins.kind === 'general' ? this.generalBefore(ins, uids, leadInsThisRound) : ins.target_uid;
    const added = await this.insert.add(ins.clip.media_type, ins.clip.media_id, new Set(uids));
    if (!added.ok) return { outcome: 'failed', uid: null, error: added.error };
    const anchor = anchorBefore([...uids, added.uid], before, added.uid) ?? ins.target_uid;
    const placed = await this.insert.place(added.uid, anchor);
    if (!placed.ok && placed.vanished) return { outcome: 'failed', uid: added.uid, error: placed.error };
    // Not confirmed is kept and marked where we asked for it: a later poll shows the truth, and a
    // slow CyTube must never lead to a second promo for the slot.
    await this.shadow.upsertAfter(anchor, added.uid, {
      media_type: ins.clip.media_type,
      media_id: ins.clip.media_id,
      title: ins.clip.title,
      duration_sec: ins.clip.duration_sec,
      is_promo: true,
      promo_type: ins.promo_type,
      lead_in_for_uid: ins.lead_in_for_uid,
    });
    return placed.ok
      ? { outcome: 'inserted', uid: added.uid }
      : { outcome: 'unconfirmed', uid: added.uid, error: placed.error };
  }

  /** A general promo goes before the target's lead-in when that sits directly before the target. */
  private generalBefore(
    ins: PromoInsert,
    uids: readonly number[],
    leadIns: ReadonlyMap<number, number>,
  ): number {
    const at = uids.indexOf(ins.target_uid);
    const prev = at > 0 ? uids[at - 1] : uids[uids.length - 1];
    const isLeadIn =
      prev === leadIns.get(ins.target_uid) || this.shadow.get(prev)?.lead_in_for_uid === ins.target_uid;
    return isLeadIn ? prev : ins.before_uid;
  }

  private record(entry: PromoDecisionRecord): void {
    this.events.emit(LiveEvent.PromoDecided, {
      outcome: entry.outcome,
      promo_type: entry.promo_type,
    } satisfies PromoDecidedEvent);
    this.recent.push(entry);
    if (this.recent.length > RECENT_DECISIONS) this.recent.shift();
  }

  private async loadState(): Promise<void> {
    if (this.loaded) return;
    const saved = await this.settingsRepo.read(PROMO_SETTING_KEYS.director);
    const value = (saved?.value ?? {}) as Partial<PersistedDirectorState>;
    this.state = {
      ...initialDirectorState(),
      seq_index: value.seq_index ?? {},
      last_clip: value.last_clip ?? {},
      content_since_general: value.content_since_general ?? 0,
      last_general_at_ms: value.last_general_at_ms ?? null,
    };
    this.persistedJson = JSON.stringify(persistedPart(this.state));
    this.loaded = true;
  }

  /** Persist the cursors when they changed (a failure is logged; the next tick retries). */
  private async saveState(): Promise<void> {
    const part = persistedPart(this.state);
    const json = JSON.stringify(part);
    if (json === this.persistedJson) return;
    try {
      await this.settingsRepo.write(PROMO_SETTING_KEYS.director, part);
      this.persistedJson = json;
    } catch (err) {
      this.logger.error(`saving the promo cursors failed: ${(err as Error).message}`);
    }
  }
}

function summary(patch: Partial<PromoTickSummary>): PromoTickSummary {
  return {
    idle: null,
    target_uid: null,
    general_due: false,
    inserted: 0,
    unconfirmed: 0,
    would_insert: 0,
    failed: 0,
    skipped: 0,
    adopted: 0,
    seed: null,
    draws: 0,
    ...patch,
  };
}
