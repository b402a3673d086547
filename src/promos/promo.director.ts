import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { RandomSource, SeededRandom } from '../common/random';
import type { PromosConfig } from '../config/app-config';
import { PlayHistoryService } from '../history/play-history.service';
import {
  LiveEvent,
  type PaidInsertRecordedEvent,
  type PromoDecidedEvent,
  type PromoPreviewEvent,
} from '../live/live.events';
import { BulkLoadGate } from '../queue/bulk-load.gate';
import { QueueInsertService } from '../queue/queue-insert.service';
import { QueueMutex } from '../queue/queue-mutex';
import { QueueShadowService } from '../queue/queue-shadow.service';
import { SchedulesService } from '../schedules/schedules.service';
import type { ChoiceRecord } from './promo-choice.rules';
import type { PromoDecisionEntity } from './entities/promo-decision.entity';
import { PromoDecisionsRepository } from './promo-decisions.repository';
import {
  type PreviewResult,
  previewDecisions,
  type ProbabilityReadout,
  probabilityReadout,
} from './promo-preview.rules';
import { PromoPoolsService } from './promo-pools.service';
import { PROMO_SETTING_KEYS, PromoSettingsRepository } from './promo-settings.repository';
import { PromoSettingsService } from './promo-settings.service';
import {
  anchorBefore,
  decideLeadInFor,
  decidePromos,
  type DirectorState,
  initialDirectorState,
  persistedPart,
  type PromoDecision,
  type PromoInsert,
  type PromoSkip,
  type PromoWorld,
  restoredState,
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
  | 'skipped'
  /** The slot was due but no clip was eligible (cooling down, outside its hours, empty pools). */
  | 'no_clip';

/** One line of the "recent promo decisions" list (admin page), from the decision log. */
export interface PromoDecisionRecord {
  id: number;
  at: string;
  source: string;
  slot: string;
  promo_type: string;
  pool_id: number | null;
  clip_title: string | null;
  clip: string | null;
  target_uid: number;
  uid: number | null;
  outcome: string;
  error: string | null;
  /** Why this slot (and, for a slot that got nothing, why nothing), in words. */
  why: string;
  seed: number | null;
  draws: number;
  /** Candidates, weights, chances and exclusions. */
  detail: ChoiceRecord | null;
}

/** What the admin page shows live: the next decisions and the chances behind them. */
export interface PromoPreviewView extends PreviewResult {
  at: string;
  readout: ProbabilityReadout;
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
  no_clip: number;
  adopted: number;
  seed: number | null;
  draws: number;
}

const RECENT_DECISIONS = 50;
/** The decision log keeps this many days. */
const DECISION_LOG_DAYS = 30;

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
  /** The last bulk load the director has caught up with (rebaseline once per load). */
  private seenLoads = 0;
  /** slot → the last "no clip" reason logged (a due slot is tried every poll; logged once per reason). */
  private readonly lastNoClip = new Map<string, string>();
  private lastPreviewJson = '';
  private lastPruneDay = '';

  constructor(
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
    private readonly insert: QueueInsertService,
    private readonly pools: PromoPoolsService,
    private readonly schedules: SchedulesService,
    private readonly settings: PromoSettingsService,
    private readonly settingsRepo: PromoSettingsRepository,
    private readonly decisions: PromoDecisionsRepository,
    private readonly history: PlayHistoryService,
    private readonly gate: BulkLoadGate,
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

  /** Most recent first, from the decision log (survives a restart). */
  async recentDecisions(limit = RECENT_DECISIONS): Promise<PromoDecisionRecord[]> {
    const rows = await this.decisions.recent(limit);
    return rows.map((row) => {
      const detail = parseDetail(row.detail);
      return {
        id: row.id,
        at: row.at.toISOString(),
        source: row.source,
        slot: row.slot,
        promo_type: row.promo_type,
        pool_id: row.pool_id,
        clip_title: row.clip_title,
        clip: row.clip_key,
        target_uid: row.target_uid,
        uid: row.uid,
        outcome: row.outcome,
        error: row.error,
        why: detail?.why ?? '',
        seed: row.seed,
        draws: row.draws,
        detail: detail?.record ?? null,
      };
    });
  }

  /** The next decisions on the current queue and the chances behind them (admin page). */
  async preview(): Promise<PromoPreviewView> {
    await this.loadState();
    const config = await this.settings.effective();
    const world = await this.world(config);
    const np = this.shadow.nowPlaying();
    const items = this.shadow.items();
    const nowMs = this.clock.nowMs();
    const elapsed = np ? np.currentTime + (np.paused ? 0 : (nowMs - this.shadow.observedAtMs()) / 1000) : 0;
    const remaining = np ? Math.max(0, np.seconds - elapsed) : 0;
    const result = previewDecisions(
      items,
      this.shadow.nowPlayingIndex(),
      remaining,
      this.state,
      config,
      nowMs,
      // One seed per queue position: the preview does not reshuffle on every refresh.
      (this.state.last_np_uid ?? 0) + 1,
      world,
    );
    return {
      ...result,
      at: this.clock.now().toISOString(),
      readout: probabilityReadout(
        items,
        this.state,
        config,
        world.pools,
        world.last_played ?? new Map(),
        nowMs,
      ),
    };
  }

  /** One round after a poll. Takes the QueueMutex itself. */
  async tick(): Promise<PromoTickSummary> {
    if (this.running) return summary({ idle: 'running' });
    this.running = true;
    try {
      if (this.shadow.isStale()) return summary({ idle: 'stale' });
      await this.loadState();
      const config = await this.settings.effective();
      // Everything the decision reads — the event state above all — is read once the mutex is
      // ours: a fire that held it until now has recorded its event (and ended its load) by then.
      const result = await this.mutex.runExclusive(async () => this.round(config, await this.world(config)));
      await this.afterRound();
      return result;
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
      const world = await this.world(config);
      const decision = this.decide((random) =>
        decideLeadInFor(
          this.shadow.items(),
          this.shadow.nowPlayingIndex(),
          paid.uid,
          this.state,
          config,
          this.clock.nowMs(),
          random,
          world,
        ),
      );
      return await this.apply(decision, config, 'pay');
    } catch (err) {
      this.logger.error(`Viewer's Choice for uid ${paid.uid} failed: ${(err as Error).message}`);
      return summary({ idle: 'error', failed: 1 });
    }
  }

  // --- internals ---

  /**
   * What a decision reads, under the mutex: the event state, the pools, a bulk load in progress
   * (or one whose result no poll has shown yet), and the play history for the cooldowns.
   */
  private async world(config: PromosConfig): Promise<PromoWorld> {
    if (!config.enabled) return { pools: {}, immutable_event: false };
    const loads = this.gate.lastEnded();
    const loading = this.gate.current();
    // A poll that started reading before the load ended may show it half done.
    const settling = loads.count > this.seenLoads && this.shadow.pollTakenAtMs() <= loads.at_ms;
    const cooldownMs = longestCooldownMinutes(config) * 60_000;
    const nowMs = this.clock.nowMs();
    const [immutable, view, lastPlayed] = await Promise.all([
      this.schedules.immutableEventRunning(),
      this.pools.load(),
      cooldownMs > 0
        ? this.history.lastPlayedSince(nowMs - cooldownMs)
        : Promise.resolve(new Map<string, number>()),
    ]);
    return {
      pools: view.pools,
      immutable_event: immutable,
      bulk_load: loading ?? (settling ? 'waiting for a poll after the load' : null),
      rebaseline: loads.count > this.seenLoads,
      last_played: lastPlayed,
    };
  }

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
    // The load is caught up with once a round has observed a poll taken after it.
    if (world.rebaseline && !world.bulk_load) this.seenLoads = this.gate.lastEnded().count;
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
    // The slots are marked on disk before any add: a crash mid-insert never decides a slot twice.
    if (decision.inserts.length > 0) await this.saveState();
    for (const skip of decision.skips) {
      result.no_clip++;
      await this.recordSkip(skip, decision, source);
    }
    const leadIns = new Map<number, number>();
    for (const ins of decision.inserts) {
      this.lastNoClip.delete(ins.slot);
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
      await this.record({
        source,
        slot: ins.slot,
        promo_type: ins.promo_type,
        pool_id: ins.pool_id,
        clip_key: `${ins.clip.media_type}:${ins.clip.media_id}`,
        clip_title: ins.clip.title,
        target_uid: ins.target_uid,
        uid,
        outcome,
        error: error ?? null,
        seed: decision.seed,
        draws: decision.draws,
        detail: JSON.stringify({ why: ins.why, record: ins.record }),
      });
      const what = `${ins.promo_type} "${ins.clip.title ?? ins.clip.media_id}" before uid ${ins.before_uid} (${ins.slot}, seed ${decision.seed}, ${decision.draws} draws)`;
      if (outcome === 'would_insert') this.logger.log(`[shadow] would insert ${what}`);
      else if (outcome === 'failed') this.logger.warn(`promo insert failed: ${what}: ${error}`);
      else this.logger.log(`promo ${outcome}: ${what} → uid ${uid}`);
    }
    await this.saveState();
    return result;
  }

  /** A due slot with no eligible clip: logged once per slot and reason (it is tried every poll). */
  private async recordSkip(skip: PromoSkip, decision: PromoDecision, source: 'poll' | 'pay'): Promise<void> {
    const reason = `${skip.record.skipped} ${skip.record.next_eligible_at_ms ?? ''}`;
    if (this.lastNoClip.get(skip.slot) === reason) return;
    this.lastNoClip.set(skip.slot, reason);
    if (this.lastNoClip.size > RECENT_DECISIONS) {
      this.lastNoClip.delete(this.lastNoClip.keys().next().value as string);
    }
    this.logger.log(`promo slot ${skip.slot} skipped: ${skip.record.skipped}`);
    await this.record({
      source,
      slot: skip.slot,
      promo_type: skip.promo_type,
      pool_id: null,
      clip_key: null,
      clip_title: null,
      target_uid: skip.target_uid,
      uid: null,
      outcome: 'no_clip',
      error: skip.record.skipped,
      seed: decision.seed,
      draws: decision.draws,
      detail: JSON.stringify({ why: skip.why, record: skip.record }),
    });
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

  /** Into the decision log (a failure is logged: a promo must not stop for its log). */
  private async record(entry: Omit<PromoDecisionEntity, 'id' | 'at'>): Promise<void> {
    this.events.emit(LiveEvent.PromoDecided, {
      outcome: entry.outcome,
      promo_type: entry.promo_type,
    } satisfies PromoDecidedEvent);
    try {
      await this.decisions.insert({ ...entry, at: this.clock.now() });
    } catch (err) {
      this.logger.error(`writing the promo decision log failed: ${(err as Error).message}`);
    }
  }

  /** After a poll round: tell the admin page what comes next (when it changed), prune the log daily. */
  private async afterRound(): Promise<void> {
    try {
      const view = await this.preview();
      const json = JSON.stringify({ steps: view.steps, idle: view.idle, readout: view.readout });
      if (json !== this.lastPreviewJson) {
        this.lastPreviewJson = json;
        this.events.emit(LiveEvent.PromoPreview, view satisfies PromoPreviewEvent);
      }
      const day = this.clock.now().toISOString().slice(0, 10);
      if (day !== this.lastPruneDay) {
        this.lastPruneDay = day;
        await this.decisions.prune(new Date(this.clock.nowMs() - DECISION_LOG_DAYS * 86_400_000));
      }
    } catch (err) {
      this.logger.error(`promo preview failed: ${(err as Error).message}`);
    }
  }

  private async loadState(): Promise<void> {
    if (this.loaded) return;
    const saved = await this.settingsRepo.read(PROMO_SETTING_KEYS.director);
    this.state = restoredState(saved?.value ?? {});
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
    no_clip: 0,
    adopted: 0,
    seed: null,
    draws: 0,
    ...patch,
  };
}

function parseDetail(json: string): { why: string; record: ChoiceRecord } | null {
  try {
    return JSON.parse(json) as { why: string; record: ChoiceRecord };
  } catch {
    return null;
  }
}

/** The longest cooldown any rule applies (how far back the play history is read). */
function longestCooldownMinutes(config: PromosConfig): number {
  let longest = config.general.clip_cooldown_minutes;
  for (const rules of Object.values(config.pools ?? {})) {
    longest = Math.max(longest, rules.cooldown_minutes ?? 0);
  }
  return longest;
}
