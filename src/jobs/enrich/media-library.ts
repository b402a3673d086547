import { Logger } from '@nestjs/common';
import { type Sleeper } from '../../common/sleeper';
import { UpstreamRejectedError } from '../../kryten/kryten.errors';
import { type MediaCmsClient, type MediaCmsListItem } from '../../kryten/mediacms.client';
import { type JobContext } from '../jobs.types';

/**
 * What the enrich jobs share: paging the whole MediaCMS library (manage_media, or the public list
 * capped near 1000 when our token may not use it), and a write followed by the owner restore
 * (a MediaCMS PUT hands the media to our token's user).
 */

export interface ScannedMedia {
  items: MediaCmsListItem[];
  /** true when manage_media answered 403 and the public list was used instead. */
  publicFallback: boolean;
}

export async function scanLibrary(
  mediacms: MediaCmsClient,
  ctx: JobContext,
  sleeper: Sleeper,
  pauseMs: number,
  since: Date | null,
): Promise<ScannedMedia> {
  await ctx.progress({ phase: 'fetching' });
  const items: MediaCmsListItem[] = [];
  let publicFallback = false;
  let page;
  try {
    page = await mediacms.listManageMedia();
  } catch (err) {
    if (!(err instanceof UpstreamRejectedError && err.upstreamStatus === 403)) throw err;
    publicFallback = true;
    page = await mediacms.listPublicMedia();
  }
  for (;;) {
    ctx.signal.throwIfAborted();
    items.push(...page.results);
    void ctx.progress({ phase: 'fetching', fetched: items.length, total: page.count });
    if (!page.next || page.results.length === 0) break;
    await sleeper.sleep(pauseMs);
    page = publicFallback
      ? await mediacms.listPublicMedia(page.next)
      : await mediacms.listManageMedia(page.next);
  }
  const kept =
    since === null
      ? items
      : items.filter(
          (i) =>
            typeof i.add_date === 'string' && i.add_date.slice(0, 10) >= since.toISOString().slice(0, 10),
        );
  return { items: kept, publicFallback };
}

export type WriteOutcome = { ok: true; ownerRestored: boolean } | { ok: false; error: string };

const logger = new Logger('Jobs');

/** PUT the fields, then give the media back to its owner (best effort, reported). */
export async function writeMedia(
  mediacms: MediaCmsClient,
  item: Pick<MediaCmsListItem, 'friendly_token' | 'user'>,
  fields: { title?: string; description?: string },
): Promise<WriteOutcome> {
  try {
    await mediacms.updateMedia(item.friendly_token, fields);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (!item.user) return { ok: true, ownerRestored: false };
  try {
    await mediacms.changeOwner(item.friendly_token, item.user);
    return { ok: true, ownerRestored: true };
  } catch (err) {
    logger.warn(
      `owner of ${item.friendly_token} not restored to ${item.user}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return { ok: true, ownerRestored: false };
  }
}

/** One line of a run's failure list. */
export interface FailureLine {
  friendly_token: string;
  title: string;
  error: string;
}

export const MAX_LISTED = 200;
