import { Injectable } from '@nestjs/common';
import { catalogLink, LENGTH_RANGES } from '../catalog/catalog.rules';
import { CatalogService, type ListQuery } from '../catalog/catalog.service';
import { CatalogViews, type TileView } from '../catalog/catalog.view';
import { Clock } from '../common/clock';
import { formatDuration } from '../common/http/view-helpers';
import { PlayHistoryService } from '../history/play-history.service';
import { QueueShadowService } from '../queue/queue-shadow.service';
import { NOT_PLAYED_DAYS, playedLately, topCategories, upNext } from './home.rules';

export interface HomeRow {
  id: string;
  title: string;
  href: string;
  tiles: TileView[];
}

export interface HomeHero {
  title: string;
  /** Seconds played and length, for the progress bar. */
  progress_pct: number;
  remaining: string;
  token: string | null;
  up_next: { title: string; starts_at: string | null }[];
}

/**
 * The catalog's home page: what the channel plays now and next, then rows — recently added,
 * movies, short picks, the largest categories, not played in a while — each a page of the grid
 * it links to.
 */
@Injectable()
export class HomeService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly views: CatalogViews,
    private readonly shadow: QueueShadowService,
    private readonly history: PlayHistoryService,
    private readonly clock: Clock,
  ) {}

  /** The rows as every viewer sees them (admin-hidden items stay out of the home page). */
  async rows(): Promise<HomeRow[]> {
    const base: ListQuery = { page: 1, sort: 'default', showHidden: false };
    const facets = await this.catalog.facets(false);
    const lately = await this.playedLately();
    const specs: { id: string; title: string; query: ListQuery; href: string }[] = [
      {
        id: 'recent',
        title: 'Recently added',
        query: { ...base, sort: 'newest' },
        href: catalogLink('/catalog/browse', { sort: 'newest' }),
      },
      {
        id: 'movies',
        title: LENGTH_RANGES.movie.label,
        query: { ...base, length: 'movie' },
        href: catalogLink('/catalog/browse', { length: 'movie' }),
      },
      {
        id: 'short',
        title: LENGTH_RANGES.short.label,
        query: { ...base, length: 'short' },
        href: catalogLink('/catalog/browse', { length: 'short' }),
      },
      ...topCategories(facets.categories).map((c) => ({
        id: `category-${c.slug}`,
        title: c.name,
        query: { ...base, category: c.slug },
        href: catalogLink('/catalog/browse', { category: c.slug }),
      })),
      {
        id: 'not-played',
        title: 'Not played in a while',
        query: { ...base, sort: 'oldest', excludeManifests: lately },
        href: '/catalog/not-played',
      },
    ];
    const rows: HomeRow[] = [];
    for (const spec of specs) {
      const result = await this.catalog.browse(spec.query);
      if (result.items.length === 0) continue;
      rows.push({
        id: spec.id,
        title: spec.title,
        href: spec.href,
        tiles: await this.views.tiles(result.items),
      });
    }
    return rows;
  }

  /** The grid behind "Not played in a while". */
  async notPlayedQuery(page: number): Promise<ListQuery> {
    return { page, sort: 'oldest', showHidden: false, excludeManifests: await this.playedLately() };
  }

  hero(): HomeHero | null {
    const np = this.shadow.nowPlaying();
    if (!np) return null;
    const items = this.shadow.itemsWithEtas();
    const playing = items.find((i) => i.uid === np.uid);
    const elapsed =
      np.currentTime + (np.paused ? 0 : (this.clock.nowMs() - this.shadow.observedAtMs()) / 1000);
    const length = np.seconds > 0 ? np.seconds : (playing?.duration_sec ?? 0);
    return {
      title: playing?.title ?? np.title,
      progress_pct: length > 0 ? Math.max(0, Math.min(100, Math.round((elapsed / length) * 100))) : 0,
      remaining: length > 0 ? formatDuration(Math.max(0, Math.round(length - elapsed))) : '',
      token: playing?.friendly_token ?? null,
      up_next: upNext(items, np.uid).map((i) => ({
        title: i.title ?? i.media_id,
        starts_at: i.estimated_start_at ?? null,
      })),
    };
  }

  private async playedLately(): Promise<string[]> {
    const since = this.clock.nowMs() - NOT_PLAYED_DAYS * 86_400_000;
    return playedLately(await this.history.lastPlayedSince(since, 'content'));
  }
}
