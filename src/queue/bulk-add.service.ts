import { Injectable, Logger } from '@nestjs/common';
import { Sleeper } from '../common/sleeper';
import { AppConfig } from '../config/app-config';
import { ApiGateClient } from '../kryten/api-gate.client';
import { CytubeQueueFailError, UpstreamRejectedError } from '../kryten/kryten.errors';
import { type BulkAddThrottle, delayBeforeItem, delayBeforeRetry } from './bulk-add.rules';

export interface BulkItem {
  media_type: string;
  media_id: string;
  title?: string | null;
  duration_sec?: number | null;
}

export interface BulkAddResult {
  added: number;
  errors: number;
  /** Per input item: the CyTube uid, null when added without a uid, undefined when it failed. */
  uids: (number | null | undefined)[];
  /** The uid of the last add that returned one (the event lock's last item). */
  lastUid: number | null;
  /** Sum of the durations of the items that were added. */
  addedDurationSec: number;
  failures: { index: number; error: string }[];
}

export interface BulkAddProgress {
  done: number;
  total: number;
  failed: { index: number; title: string | null; error: string } | null;
}

/**
 * Adds many items to the CyTube playlist, throttled (import to live, schedule fire, promos):
 * one add at a time at the end, temp, `playlist_bulk_add_delay_sec` between items, a 422
 * queueFail retried with a linear backoff. A failed item is counted and skipped.
 */
@Injectable()
export class BulkAddService {
  private readonly logger = new Logger('BulkAdd');

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly config: AppConfig,
    private readonly sleeper: Sleeper,
  ) {}

  private throttle(): BulkAddThrottle {
    return {
      delaySec: this.config.playlist_bulk_add_delay_sec,
      maxRetries: this.config.playlist_bulk_add_max_retries,
    };
  }

  /** `onProgress` hears after every item (`done` of `total`, and the failure if it failed). */
  async addAll(
    items: readonly BulkItem[],
    onProgress?: (progress: BulkAddProgress) => void,
  ): Promise<BulkAddResult> {
    const result: BulkAddResult = {
      added: 0,
      errors: 0,
      uids: [],
      lastUid: null,
      addedDurationSec: 0,
      failures: [],
    };
    const throttle = this.throttle();
    for (const [index, item] of items.entries()) {
      await this.sleeper.sleep(delayBeforeItem(index, throttle));
      try {
        const uid = await this.addOne(item);
        result.added++;
        result.uids.push(uid);
        if (uid !== null) result.lastUid = uid;
        result.addedDurationSec += item.duration_sec ?? 0;
      } catch (err) {
        const message = (err as Error).message;
        this.logger.warn(`add of ${item.media_type}:${item.media_id} failed: ${message}`);
        result.errors++;
        result.uids.push(undefined);
        result.failures.push({ index, error: message });
      }
      onProgress?.({
        done: index + 1,
        total: items.length,
        failed:
          result.uids[index] === undefined
            ? { index, title: item.title ?? null, error: result.failures[result.failures.length - 1].error }
            : null,
      });
    }
    return result;
  }

  /** One add at the end (temp), retrying a 422 queueFail. Returns the uid (null if CyTube gave none). */
  async addOne(item: BulkItem): Promise<number | null> {
    const throttle = this.throttle();
    for (let attempt = 1; ; attempt++) {
      try {
        const { uid } = await this.apiGate.playlistAdd({
          type: item.media_type,
          id: item.media_id,
          position: 'end',
          temp: true,
        });
        return uid;
      } catch (err) {
        const wait = isQueueFail422(err) ? delayBeforeRetry(attempt, throttle) : null;
        if (wait === null) throw err;
        await this.sleeper.sleep(wait);
      }
    }
  }
}

/** Both 422 shapes of /playlist/add are retried (a CyTube queueFail string, or a validation list). */
function isQueueFail422(err: unknown): boolean {
  return (
    err instanceof CytubeQueueFailError ||
    (err instanceof UpstreamRejectedError && err.upstreamStatus === 422)
  );
}
