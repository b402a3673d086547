import { Injectable, Logger } from '@nestjs/common';
import { ClusterBus } from '../cluster/cluster-bus';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ApiGateClient } from '../kryten/api-gate.client';
import { CytubeQueueFailError, UpstreamUnavailableError } from '../kryten/kryten.errors';
import { DomainException } from '../common/domain-exception';
import { isPlacedAfter, nowPlayingUidOf, placementConfirmed, type OrderItem } from './ordering.rules';
import { ReadBackPolicy } from './read-back.policy';
import { QueueShadowService } from './queue-shadow.service';

/** The live playlist as far as ordering needs it: CyTube order, with our pay flags. */
export interface LiveEntry extends OrderItem {
  media_id: string;
  media_type: string;
}

export interface LiveSnapshot {
  entries: LiveEntry[];
  nowPlayingUid: number | null;
  /** false when api-gate could not be read and the shadow stood in. */
  live: boolean;
}

export type AddOutcome =
  | { ok: true; uid: number; late: boolean }
  /** `reason` is the refund reason for paid inserts. */
  | { ok: false; reason: 'playlist_add_failed' | 'add_failed'; error: string };

export type PlaceOutcome =
  | { ok: true; moved: boolean; uids: number[]; nowPlayingUid: number | null }
  | { ok: false; error: string; vanished: boolean };

/** A move sent (or found unnecessary), not yet confirmed: `confirmPlacement` finishes it. */
export type StartedPlacement =
  | { ok: true; uid: number; anchorUid: number; moved: boolean }
  | { ok: false; error: string; vanished: false };

/** A shadow this recent (in polls) stands in for a live read when a purchase plans its place. */
const FRESH_POLLS = 2;

/**
 * The CyTube side of an insert, shared by paid and admin inserts: read the live order, add at the
 * end, move after the anchor and CONFIRM by reading the playlist back (move is fire-and-forget:
 * api-gate only publishes it, and CyTube drops an invalid one silently). Callers hold the QueueMutex.
 */
@Injectable()
export class QueueInsertService {
  private readonly logger = new Logger('QueueInsert');

  /** The confirmations' playlist read waiting to start (shared), and the one in flight. */
  private queuedRead: Promise<number[] | null> | null = null;
  private readInFlight: Promise<number[] | null> | null = null;

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly shadow: QueueShadowService,
    private readonly policy: ReadBackPolicy,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly bus: ClusterBus,
  ) {}

  /**
   * Whether a purchase may wait for its confirmation outside the QueueMutex and plan from the
   * mirror: with one instance, yes — the mirror has every change made here the moment it is
   * made. With several, another instance's last change reaches this mirror only a moment later
   * (over the bus), so purchases plan from a live read and confirm inside the mutex.
   */
  confirmsOutsideMutex(): boolean {
    return !this.bus.shared;
  }

  /**
   * The order a purchase plans from: the shadow when its last poll is recent, the feed is
   * healthy and this is the only instance (the poller's observation plus every change made here
   * since, so no read is needed), else a live snapshot. A plan from a shadow that missed a change is caught by the
   * confirmation, which reads the playlist after the move.
   */
  async plan(): Promise<LiveSnapshot> {
    const polledAt = this.shadow.pollTakenAtMs();
    const fresh =
      this.confirmsOutsideMutex() &&
      polledAt > 0 &&
      !this.shadow.isStale() &&
      this.clock.nowMs() - polledAt <= FRESH_POLLS * this.config.state_poll_interval_sec * 1000;
    if (!fresh) return this.snapshot();
    const entries = this.shadow.items().map((i) => ({
      uid: i.uid,
      media_id: i.media_id,
      media_type: i.media_type,
      is_pay: i.is_pay,
    }));
    return { entries, nowPlayingUid: this.shadow.nowPlayingUid(), live: true };
  }

  /** The live playlist and now-playing from api-gate (pay flags from the shadow); the shadow if that fails. */
  async snapshot(): Promise<LiveSnapshot> {
    const pay = new Map(this.shadow.items().map((i) => [i.uid, i.is_pay]));
    try {
      const [playlist, np] = await Promise.all([this.apiGate.getPlaylist(), this.apiGate.getNowPlaying()]);
      const entries = playlist.map((p) => ({
        uid: p.uid,
        media_id: p.media.id,
        media_type: p.media.type,
        is_pay: pay.get(p.uid) ?? false,
      }));
      const nowPlayingUid = nowPlayingUidOf(entries, np ? { uid: np.uid, id: np.id, type: np.type } : null);
      return { entries, nowPlayingUid, live: true };
    } catch (err) {
      this.logger.warn(`live playlist unavailable, ordering from the shadow: ${(err as Error).message}`);
      const entries = this.shadow.items().map((i) => ({
        uid: i.uid,
        media_id: i.media_id,
        media_type: i.media_type,
        is_pay: i.is_pay,
      }));
      return { entries, nowPlayingUid: this.shadow.nowPlayingUid(), live: false };
    }
  }

  /**
   * Add at the end (temp). An ambiguous answer (504, timeout, success without uid) may still be
   * an add: the playlist is read back for a new entry with this media id (CyTube refuses
   * duplicates, so it can only be ours) before giving up.
   */
  async add(mediaType: string, mediaId: string, before: ReadonlySet<number>): Promise<AddOutcome> {
    try {
      const { uid } = await this.apiGate.playlistAdd({
        type: mediaType,
        id: mediaId,
        position: 'end',
        temp: true,
      });
      if (uid !== null) return { ok: true, uid, late: false };
      const found = await this.findLateAdd(mediaId, before);
      return found !== null
        ? { ok: true, uid: found, late: true }
        : { ok: false, reason: 'add_failed', error: 'Failed to add to playlist' };
    } catch (err) {
      if (err instanceof CytubeQueueFailError) {
        return { ok: false, reason: 'playlist_add_failed', error: err.cytubeMessage };
      }
      const status = err instanceof UpstreamUnavailableError ? err.upstreamStatus : null;
      const ambiguous = status === null || status === 504 || !(err instanceof DomainException);
      if (ambiguous) {
        const found = await this.findLateAdd(mediaId, before);
        if (found !== null) return { ok: true, uid: found, late: true };
      }
      const detail = err instanceof UpstreamUnavailableError ? err.reason : (err as Error).message;
      return {
        ok: false,
        reason: 'playlist_add_failed',
        error: `playlist add failed (${status ?? 'no answer'}): ${detail}`,
      };
    }
  }

  /**
   * Put `uid` right after `anchorUid` and confirm it in the live playlist. Already there (an add
   * at the end behind the anchor) → no move at all.
   */
  async place(uid: number, anchorUid: number): Promise<PlaceOutcome> {
    const first = await this.readBack();
    if (first && placementConfirmed(first.uids, uid, anchorUid, first.nowPlayingUid)) {
      return { ok: true, moved: false, ...first };
    }
    const started = await this.startPlacement(uid, anchorUid, null);
    return started.ok ? this.confirmPlacement(started) : started;
  }

  /**
   * Send the move that puts `uid` right after `anchorUid`, unless `expectedOrder` (the planned
   * order with the add at its end) already has it there. Only this part needs the QueueMutex:
   * the confirmation can wait outside it, so buyers do not queue behind each other's waits.
   */
  async startPlacement(
    uid: number,
    anchorUid: number,
    expectedOrder: readonly number[] | null,
  ): Promise<StartedPlacement> {
    if (expectedOrder && isPlacedAfter(expectedOrder, uid, anchorUid)) {
      return { ok: true, uid, anchorUid, moved: false };
    }
    try {
      await this.apiGate.playlistMove(uid, anchorUid);
      return { ok: true, uid, anchorUid, moved: true };
    } catch (err) {
      this.logger.warn(`move ${uid} after ${anchorUid} failed: ${(err as Error).message}`);
      return { ok: false, error: 'Failed to position item in queue', vanished: false };
    }
  }

  /**
   * Confirm a started placement by reading the playlist back: one read when all went well (a
   * read shared with every confirmation waiting at that moment). A move takes effect a moment
   * after it is sent, so the read waits for it; an add already answered is in the playlist, so
   * "no move needed" is read at once, and when that turns out wrong (a change the plan did not
   * see) the move is sent then.
   */
  async confirmPlacement(placement: StartedPlacement & { ok: true }): Promise<PlaceOutcome> {
    const { uid, anchorUid } = placement;
    let moved = placement.moved;
    for (let attempt = 0; attempt < this.policy.confirmAttempts; attempt++) {
      if (moved || attempt > 0) await this.policy.wait(moved ? attempt : attempt - 1);
      const seen = await this.confirmingRead(uid, anchorUid);
      if (!seen) continue;
      if (placementConfirmed(seen.uids, uid, anchorUid, seen.nowPlayingUid)) {
        return { ok: true, moved, ...seen };
      }
      if (!seen.uids.includes(uid)) {
        return { ok: false, error: 'Item vanished from the playlist', vanished: true };
      }
      if (!moved) {
        const sent = await this.startPlacement(uid, anchorUid, null);
        if (!sent.ok) return sent;
        moved = true;
      }
    }
    this.logger.warn(
      `move ${uid} after ${anchorUid} not applied after ${this.policy.confirmAttempts} read-backs`,
    );
    return { ok: false, error: 'Failed to position item in queue', vanished: false };
  }

  /**
   * The playlist's uids (a read shared with other confirmations) and the
   * now-playing uid: the shadow's, which the poller keeps current, unless the placement hinges on
   * it (its anchor has left the playlist) — then it is read too.
   */
  private async confirmingRead(
    uid: number,
    anchorUid: number,
  ): Promise<{ uids: number[]; nowPlayingUid: number | null } | null> {
    const uids = await this.nextPlaylistRead();
    if (!uids) return null;
    const shadowNp = this.shadow.nowPlayingUid();
    if (uids.includes(anchorUid) && (shadowNp === null || uids.includes(shadowNp))) {
      return { uids, nowPlayingUid: shadowNp };
    }
    return this.readBack();
  }

  /**
   * A playlist read that starts after this call: callers that arrive while one is waiting to
   * start share it, and one in flight is let finish first (it may have started before their
   * move took effect). So concurrent confirmations coalesce into at most two reads.
   */
  private nextPlaylistRead(): Promise<number[] | null> {
    if (this.queuedRead) return this.queuedRead;
    const queued = (this.readInFlight ?? Promise.resolve()).then(() => {
      this.queuedRead = null;
      const read = this.apiGate.getPlaylist().then(
        (playlist) => playlist.map((p) => p.uid),
        () => null,
      );
      this.readInFlight = read;
      void read.then(() => {
        if (this.readInFlight === read) this.readInFlight = null;
      });
      return read;
    });
    this.queuedRead = queued;
    return queued;
  }

  /** Best-effort delete of an item we added (fire-and-forget; a failure is logged). */
  async deleteQuietly(uid: number): Promise<void> {
    try {
      await this.apiGate.playlistDelete(uid);
    } catch (err) {
      this.logger.error(`delete of orphan ${uid} failed: ${(err as Error).message}`);
    }
  }

  /** uids and now-playing, or null when api-gate can't be read. */
  async readBack(): Promise<{ uids: number[]; nowPlayingUid: number | null } | null> {
    try {
      const [playlist, np] = await Promise.all([this.apiGate.getPlaylist(), this.apiGate.getNowPlaying()]);
      const entries = playlist.map((p) => ({ uid: p.uid, media_id: p.media.id, media_type: p.media.type }));
      return {
        uids: entries.map((e) => e.uid),
        nowPlayingUid: nowPlayingUidOf(entries, np ? { uid: np.uid, id: np.id, type: np.type } : null),
      };
    } catch {
      return null;
    }
  }

  private async findLateAdd(mediaId: string, before: ReadonlySet<number>): Promise<number | null> {
    for (let attempt = 0; attempt < this.policy.lateAddAttempts; attempt++) {
      await this.policy.wait(attempt);
      try {
        const playlist = await this.apiGate.getPlaylist();
        const hit = playlist.find((p) => p.media.id === mediaId && !before.has(p.uid));
        if (hit) return hit.uid;
      } catch {
        // keep trying until the attempts run out
      }
    }
    return null;
  }
}
