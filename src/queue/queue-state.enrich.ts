import type { CatalogItemEntity } from '../catalog/entities/catalog-item.entity';
import type { NowPlaying, ShadowItem } from './queue-shadow.types';

/** An item as clients get it: the shadow item plus catalog art (enriched state only). */
export interface QueueStateItem extends ShadowItem {
  cover_art_path?: string | null;
  thumbnail_url?: string | null;
}

/** Now-playing as clients get it: uid recovered, who queued it, and catalog details when known. */
export interface QueueStateNowPlaying extends NowPlaying {
  friendly_token?: string | null;
  queueby?: string | null;
  paid_by?: string | null;
  is_pay?: boolean;
  tier?: string | null;
  cover_art_path?: string | null;
  thumbnail_url?: string | null;
  description?: string | null;
  categories?: string[];
  tags?: string[];
}

/** `GET /queue/state` and the `queue_state` socket event. */
export interface QueueState {
  items: QueueStateItem[];
  now_playing: QueueStateNowPlaying | null;
  /** ISO time of this snapshot; ETAs and progress count from it. */
  updated_at: string;
  /** true while api-gate polls fail: the list is the last one known. */
  stale: boolean;
}

/**
 * What the queue needs from the catalog. `CatalogService` (src/catalog) implements it; the
 * queue module binds this token to it.
 */
export abstract class QueueCatalog {
  /** One query; the map is keyed by both friendly_token and manifest URL. */
  abstract findForQueue(
    keys: { friendly_token?: string | null; media_id?: string | null }[],
  ): Promise<Map<string, CatalogItemEntity>>;
  abstract getItemDetails(token: string): Promise<{
    item: CatalogItemEntity;
    categories: { name: string; slug: string }[];
    tags: string[];
  } | null>;
}

/** Enrich a raw state (a copy is returned). A failed catalog lookup gives the raw state back. */
export async function enrichState(raw: QueueState, catalog: QueueCatalog): Promise<QueueState> {
  const keys: { friendly_token?: string; media_id?: string }[] = raw.items.map((i) => ({
    ...(i.friendly_token ? { friendly_token: i.friendly_token } : {}),
    ...(i.media_id ? { media_id: i.media_id } : {}),
  }));
  const np = raw.now_playing;
  if (np) {
    keys.push({ ...(np.friendly_token ? { friendly_token: np.friendly_token } : {}), media_id: np.media_id });
  }
  let lookup: Map<string, CatalogItemEntity>;
  try {
    lookup = await catalog.findForQueue(keys);
  } catch {
    return raw;
  }
  const find = (token: string | null | undefined, mediaId: string): CatalogItemEntity | undefined =>
    (token ? lookup.get(token) : undefined) ?? (mediaId ? lookup.get(mediaId) : undefined);

  const items = raw.items.map((item) => {
    const out: QueueStateItem = { ...item };
    const hit = find(item.friendly_token, item.media_id);
    if (hit) {
      out.cover_art_path ??= hit.cover_art_path;
      out.thumbnail_url ??= hit.thumbnail_url;
      if (!out.title || out.title === 'Unknown') out.title = hit.title;
      out.friendly_token ||= hit.friendly_token;
    }
    return out;
  });

  let nowPlaying: QueueStateNowPlaying | null = null;
  if (np) {
    nowPlaying = { ...np };
    const hit = find(np.friendly_token, np.media_id);
    if (hit) {
      nowPlaying.cover_art_path ??= hit.cover_art_path;
      nowPlaying.thumbnail_url ??= hit.thumbnail_url;
      nowPlaying.friendly_token ||= hit.friendly_token;
    }
    if (nowPlaying.uid === null) {
      const match = items.find(
        (i) => i.media_id === np.media_id && (!np.media_type || i.media_type === np.media_type),
      );
      if (match) nowPlaying.uid = match.uid;
    }
    if (nowPlaying.friendly_token) {
      try {
        const details = await catalog.getItemDetails(nowPlaying.friendly_token);
        if (details) {
          nowPlaying.description ??= details.item.description;
          nowPlaying.categories = details.categories.map((c) => c.name);
          nowPlaying.tags = details.tags;
        }
      } catch {
        // Details are decoration: a failure leaves them out.
      }
    }
  }
  return { ...raw, items, now_playing: nowPlaying };
}
