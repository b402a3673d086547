import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Mutex } from 'async-mutex';
import { ClusterBus } from '../cluster/cluster-bus';
import { Leadership } from '../cluster/leadership';
import { Clock } from '../common/clock';
import type { NowPlaying as GateNowPlaying, PlaylistItem } from '../kryten/api-gate.types';
import { LiveEvent, type ShadowPolledEvent } from '../live/live.events';
import { QueueShadowRepository, rowFingerprint } from './queue-shadow.repository';
import type { NowPlaying, ShadowItem, ShadowItemMetadata } from './queue-shadow.types';
import { enrichState, QueueCatalog, type QueueState } from './queue-state.enrich';
import {
  acceptEmptyPoll,
  computeEtas,
  findNowPlayingIndex,
  newShadowItem,
  nowPlayingHead,
  samePoll,
  queueSignature,
  reconcile,
  remainingSeconds,
  toNowPlaying,
} from './queue.rules';

/** How long an item webqueue inserted survives polls that do not show it yet. */
const UNCONFIRMED_GRACE_MS = 15_000;

export interface QueueChangedEvent {
  reason: 'poll' | 'insert' | 'update' | 'remove';
  /** The change was made by another instance and replayed here (that instance tells browsers). */
  remote?: boolean;
}

/** Bus channels that keep every instance's shadow the same. */
const POLL_CHANNEL = 'queue.poll';
const OP_CHANNEL = 'queue.op';

interface PolledMessage {
  playlist: PlaylistItem[];
  nowPlaying: GateNowPlaying | null;
  takenAtMs: number;
}

type ShadowOp =
  | { op: 'upsert'; anchorUid: number | null; uid: number; meta: ShadowItemMetadata }
  | { op: 'update'; uid: number; patch: Partial<ShadowItemMetadata> }
  | { op: 'remove'; uid: number };

/** Who a change comes from: this instance (it persists and tells others) or another one. */
type Origin = 'own' | 'remote';

/**
 * The local mirror of the live CyTube playlist in play order. Every mutation runs under one
 * mutex, persists the rows that changed in one transaction and emits `LiveEvent.QueueChanged`
 * only when what clients see changed.
 */
@Injectable()
export class QueueShadowService implements OnModuleInit {
  private readonly logger = new Logger('QueueShadow');
  private readonly mutex = new Mutex();
  private list: ShadowItem[] = [];
  private np: NowPlaying | null = null;
  private npIndex = -1;
  /** When `np` was observed (to extrapolate currentTime between polls). */
  private npObservedAtMs = 0;
  private lastPollTakenAtMs = 0;
  private previousPlaying: { uid: number; position: number } | null = null;
  /** uid → fingerprint (all but position) and position of its DB row: only changes are written. */
  private readonly persisted = new Map<number, { fp: string; position: number }>();
  /** uids inserted locally that no poll has shown yet → insert time (ms). */
  private readonly unconfirmed = new Map<number, number>();
  private emptyStreak = 0;
  private stale = false;
  private signature = '';
  /**
   * The last reconciled poll while nothing else has changed the list since, or null.
   * A poll with the same key changes no row: only now-playing and the ETAs move.
   */
  private settledPoll: readonly PlaylistItem[] | null = null;
  /** A write failed: the next poll reconciles and writes in full (the retry). */
  private persistBehind = false;

  constructor(
    private readonly repo: QueueShadowRepository,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
    private readonly catalog: QueueCatalog,
    private readonly bus: ClusterBus,
    private readonly leadership: Leadership,
  ) {}

  /** Warm start: the last persisted list, in position order. Now-playing waits for the first poll. */
  async onModuleInit(): Promise<void> {
    const rows = await this.repo.loadAll();
    rows.forEach((item, index) => (item.position = index));
    for (const item of rows) {
      this.persisted.set(item.uid, { fp: rowFingerprint(item), position: item.position });
    }
    this.list = rows;
    this.refresh();
    this.signature = this.currentSignature();
    // Several instances: followers mirror the leader's polls, and everyone replays the others'
    // local changes (pay metadata, inserts, removals), so each shadow is the same.
    this.bus.subscribe(POLL_CHANNEL, (message) => {
      if (this.leadership.isLeader()) return;
      const poll = message as PolledMessage;
      void this.applyPoll(poll.playlist, poll.nowPlaying, poll.takenAtMs, 'remote');
    });
    this.bus.subscribe(OP_CHANNEL, (message) => void this.replay(message as ShadowOp));
  }

  private replay(op: ShadowOp): Promise<void> {
    switch (op.op) {
      case 'upsert':
        return this.upsertAfter(op.anchorUid, op.uid, op.meta, 'remote');
      case 'update':
        return this.updateMetadata(op.uid, op.patch, 'remote');
      case 'remove':
        return this.remove(op.uid, 'remote');
    }
  }

  // --- reads ---

  /**
   * The queue in play order (copies, without ETAs: they are computed only when asked for, see
   * `itemsWithEtas`, so a poll that changes nothing costs no per-row work).
   */
  items(): readonly ShadowItem[] {
    return this.list.map((item) => ({ ...item }));
  }

  /** The queue in play order with each item's estimated start, extrapolated to now. */
  itemsWithEtas(): ShadowItem[] {
    return this.getState().items;
  }

  /** How many items the queue holds. */
  size(): number {
    return this.list.length;
  }

  /** When the last applied poll was taken (ms; 0 before the first). */
  observedAtMs(): number {
    return this.npObservedAtMs;
  }

  /** When the last applied poll started reading api-gate (ms; 0 before the first): what it shows is at least this fresh. */
  pollTakenAtMs(): number {
    return this.lastPollTakenAtMs;
  }

  /** What is playing (uid recovered when the list has it), or null. */
  nowPlaying(): NowPlaying | null {
    return this.np ? { ...this.np } : null;
  }

  /** List index of the playing item, -1 if none. */
  nowPlayingIndex(): number {
    return this.npIndex;
  }

  nowPlayingUid(): number | null {
    return this.npIndex >= 0 ? this.list[this.npIndex].uid : null;
  }

  get(uid: number): ShadowItem | undefined {
    const item = this.list.find((i) => i.uid === uid);
    return item ? { ...item } : undefined;
  }

  /** Whether this media (a `cm` manifest URL, a YouTube id, …) is on the mirrored playlist. */
  hasMedia(mediaId: string): boolean {
    return this.list.some((i) => i.media_id === mediaId);
  }

  /** Paid items in play order (copies). */
  paidItems(): ShadowItem[] {
    return this.list.filter((i) => i.is_pay).map((i) => ({ ...i }));
  }

  /** true while the poller cannot reach api-gate (set by the poller). */
  isStale(): boolean {
    return this.stale;
  }

  setStale(stale: boolean): void {
    this.stale = stale;
  }

  /** Raw state; currentTime and ETAs extrapolated to now from the last poll. */
  getState(): QueueState {
    const nowMs = this.clock.nowMs();
    const np = this.np ? { ...this.np, currentTime: this.extrapolatedTime(nowMs) } : null;
    const items = computeEtas(this.list, this.npIndex, remainingSeconds(np), nowMs);
    if (np && this.npIndex >= 0) np.uid = this.list[this.npIndex].uid;
    const npItem = this.npIndex >= 0 ? this.list[this.npIndex] : undefined;
    return {
      items,
      now_playing: np
        ? {
            ...np,
            friendly_token: npItem?.friendly_token ?? null,
            queueby: npItem?.queueby ?? null,
            paid_by: npItem?.paid_by ?? null,
            is_pay: npItem?.is_pay ?? false,
            tier: npItem?.tier ?? null,
          }
        : null,
      updated_at: new Date(nowMs).toISOString(),
      stale: this.stale,
    };
  }

  /** The state with catalog art, titles and now-playing details (§2.9). */
  getEnrichedState(): Promise<QueueState> {
    return enrichState(this.getState(), this.catalog);
  }

  // --- the poll ---

  /**
   * Reconcile one poll. Returns whether anything clients see changed. `takenAtMs`: when the
   * poll started reading (defaults to now).
   */
  applyPoll(
    playlist: readonly PlaylistItem[],
    nowPlaying: GateNowPlaying | null,
    takenAtMs?: number,
    origin: Origin = 'own',
  ): Promise<boolean> {
    if (origin === 'own' && this.bus.shared) {
      this.bus.publish(POLL_CHANNEL, {
        playlist: [...playlist],
        nowPlaying,
        takenAtMs: takenAtMs ?? this.clock.nowMs(),
      } satisfies PolledMessage);
    }
    return this.mutex.runExclusive(async () => {
      const nowMs = this.clock.nowMs();
      this.lastPollTakenAtMs = takenAtMs ?? nowMs;
      let np = toNowPlaying(nowPlaying);
      if (playlist.length === 0) {
        this.emptyStreak += 1;
        if (!acceptEmptyPoll(this.list.length, this.emptyStreak, np === null)) {
          this.logger.warn(
            `empty playlist poll ignored (${this.list.length} items held; api-gate may hide a KV error)`,
          );
          return false;
        }
        np = null; // after a clear the Robot keeps the old now-playing: nothing plays in an empty list
      } else {
        this.emptyStreak = 0;
      }
      if (samePoll(this.settledPoll, playlist) && this.unconfirmed.size === 0 && !this.persistBehind) {
        return this.applyUnchangedPoll(np, nowMs, origin);
      }
      for (const [uid, at] of this.unconfirmed) {
        if (nowMs - at > UNCONFIRMED_GRACE_MS) this.unconfirmed.delete(uid);
      }
      const before = this.list;
      const result = reconcile(before, playlist, new Date(nowMs), new Set(this.unconfirmed.keys()));
      for (const entry of playlist) this.unconfirmed.delete(entry.uid);

      const index = findNowPlayingIndex(result.items, np, this.previousPlaying);
      if (np && index >= 0) np = { ...np, uid: result.items[index].uid };
      this.np = np;
      this.npObservedAtMs = nowMs;
      this.list = result.items;
      this.refresh();
      // A copy: a caller may reuse its array for the next poll.
      this.settledPoll = playlist.map((p) => ({ ...p, media: { ...p.media } }));
      if (origin === 'remote') return this.emitIfChanged('poll', origin);
      await this.persist(result.removed);
      await this.announcePoll(before);
      return this.emitIfChanged('poll');
    });
  }

  /**
   * The same playlist as the last poll, nothing changed locally since: no merge, no row to write,
   * no position to renumber. Only now-playing is followed; the full signature is built only when
   * now-playing's part of it moved.
   */
  private async applyUnchangedPoll(
    polledNp: NowPlaying | null,
    nowMs: number,
    origin: Origin,
  ): Promise<boolean> {
    let np = polledNp;
    const index = findNowPlayingIndex(this.list, np, this.previousPlaying);
    if (np && index >= 0) np = { ...np, uid: this.list[index].uid };
    const headBefore = JSON.stringify(nowPlayingHead(this.np, this.nowPlayingUid()));
    this.np = np;
    this.npObservedAtMs = nowMs;
    this.followNowPlaying();
    if (origin === 'own') await this.announcePoll(this.list);
    if (JSON.stringify(nowPlayingHead(this.np, this.nowPlayingUid())) === headBefore) return false;
    return this.emitIfChanged('poll', origin);
  }

  // --- local mutations (pay-to-play, admin, promos) ---

  /**
   * Place `uid` right after `anchorUid` (null, or an anchor not in the list = at the end). If the
   * uid is already held (a poll saw it first) its metadata is updated and it is moved; never a
   * duplicate. Persists, recomputes ETAs, emits a change.
   */
  upsertAfter(
    anchorUid: number | null,
    uid: number,
    meta: ShadowItemMetadata,
    origin: Origin = 'own',
  ): Promise<void> {
    this.share(origin, { op: 'upsert', anchorUid, uid, meta });
    return this.mutex.runExclusive(async () => {
      const existing = this.list.find((i) => i.uid === uid);
      const item: ShadowItem = existing
        ? applyPatch({ ...existing }, meta)
        : applyPatch(
            newShadowItem({
              uid,
              media_type: meta.media_type,
              media_id: meta.media_id,
              added_at: this.clock.now(),
            }),
            meta,
          );
      if (!existing) this.unconfirmed.set(uid, this.clock.nowMs());
      const rest = this.list.filter((i) => i.uid !== uid);
      const anchorAt = anchorUid === null ? -1 : rest.findIndex((i) => i.uid === anchorUid);
      rest.splice(anchorAt >= 0 ? anchorAt + 1 : rest.length, 0, item);
      this.list = rest;
      this.settledPoll = null;
      this.refresh();
      if (origin === 'own') await this.persist([]);
      this.emitIfChanged('insert', origin);
    });
  }

  /** Merge local metadata into a held item (no-op if unknown). */
  updateMetadata(uid: number, patch: Partial<ShadowItemMetadata>, origin: Origin = 'own'): Promise<void> {
    this.share(origin, { op: 'update', uid, patch });
    return this.mutex.runExclusive(async () => {
      const index = this.list.findIndex((i) => i.uid === uid);
      if (index < 0) return;
      this.list = this.list.map((item, i) => (i === index ? applyPatch({ ...item }, patch) : item));
      this.settledPoll = null;
      this.refresh();
      if (origin === 'own') await this.persist([]);
      this.emitIfChanged('update', origin);
    });
  }

  /** Drop an item (after webqueue deleted it in CyTube). */
  remove(uid: number, origin: Origin = 'own'): Promise<void> {
    this.share(origin, { op: 'remove', uid });
    return this.mutex.runExclusive(async () => {
      this.unconfirmed.delete(uid);
      if (!this.list.some((i) => i.uid === uid)) return;
      this.list = this.list.filter((i) => i.uid !== uid);
      this.settledPoll = null;
      this.refresh();
      if (origin === 'own') await this.persist([uid]);
      this.emitIfChanged('remove', origin);
    });
  }

  /** Tell the other instances about a change made here. */
  private share(origin: Origin, op: ShadowOp): void {
    if (origin === 'own' && this.bus.shared) this.bus.publish(OP_CHANNEL, op);
  }

  // --- internals ---

  private extrapolatedTime(nowMs: number): number {
    if (!this.np) return 0;
    if (this.np.paused) return this.np.currentTime;
    const t = this.np.currentTime + Math.max(0, nowMs - this.npObservedAtMs) / 1000;
    return this.np.seconds > 0 ? Math.min(t, this.np.seconds) : t;
  }

  /** Renumber positions and find now-playing (after a poll). ETAs are computed on read. */
  private refresh(): void {
    this.list.forEach((item, index) => (item.position = index));
    this.followNowPlaying();
  }

  private followNowPlaying(): void {
    this.npIndex = findNowPlayingIndex(this.list, this.np, this.previousPlaying);
    if (this.npIndex >= 0) {
      this.previousPlaying = { uid: this.list[this.npIndex].uid, position: this.npIndex };
    }
  }

  /** Write changed rows and delete removed ones in one transaction. A failure is retried next time. */
  private async persist(deletes: readonly number[]): Promise<void> {
    const upserts: ShadowItem[] = [];
    const positions: { uid: number; position: number }[] = [];
    const written = new Map<number, { fp: string; position: number }>();
    for (const item of this.list) {
      const fp = rowFingerprint(item);
      const row = this.persisted.get(item.uid);
      if (row?.fp !== fp) upserts.push(item);
      else if (row.position !== item.position) positions.push({ uid: item.uid, position: item.position });
      else continue;
      written.set(item.uid, { fp, position: item.position });
    }
    if (upserts.length === 0 && deletes.length === 0 && positions.length === 0) return;
    try {
      await this.repo.write(upserts, deletes, positions);
      for (const uid of deletes) this.persisted.delete(uid);
      for (const [uid, row] of written) this.persisted.set(uid, row);
      this.persistBehind = false;
    } catch (err) {
      this.persistBehind = true;
      this.logger.error(`queue_shadow write failed: ${(err as Error).message}`);
    }
  }

  /** Tell the schedules what this poll changed (the event lock lifts when its last item plays). */
  private async announcePoll(before: readonly ShadowItem[]): Promise<void> {
    try {
      await this.events.emitAsync(LiveEvent.ShadowPolled, {
        before,
        after: this.list,
        now_playing_uid: this.nowPlayingUid(),
      } satisfies ShadowPolledEvent);
    } catch (err) {
      this.logger.error(`after-poll work failed: ${(err as Error).message}`);
    }
  }

  private currentSignature(): string {
    return queueSignature(this.list, this.np, this.nowPlayingUid());
  }

  private emitIfChanged(reason: QueueChangedEvent['reason'], origin: Origin = 'own'): boolean {
    const signature = this.currentSignature();
    if (signature === this.signature) return false;
    this.signature = signature;
    this.events.emit(LiveEvent.QueueChanged, {
      reason,
      ...(origin === 'remote' ? { remote: true } : {}),
    } satisfies QueueChangedEvent);
    return true;
  }
}

/** Copy the defined keys of a metadata patch onto an item. */
function applyPatch(item: ShadowItem, patch: Partial<ShadowItemMetadata>): ShadowItem {
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (item as unknown as Record<string, unknown>)[key] = value;
  }
  return item;
}
