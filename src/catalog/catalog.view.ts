import { Injectable } from '@nestjs/common';
import { formatDuration } from '../common/http/view-helpers';
import { type CategoryFacet, type TagFacet } from './catalog.repository';
import {
  catalogLink,
  type CatalogLength,
  type CatalogSort,
  LENGTH_RANGES,
  pageWindow,
  REAL_POSTER_SOURCES,
  SORT_LABELS,
  SORTS,
} from './catalog.rules';
import { type CatalogItemSummary, type Facets, type ListResult } from './catalog.service';
import { ART_WIDTHS } from './cover-art/cover-art.rules';
import { PlaceholderArt } from './cover-art/placeholder-art.service';
import { type CatalogItemEntity } from './entities/catalog-item.entity';

/**
 * What a poster slot shows, in its own shape: a real poster (portrait), a MediaCMS thumbnail
 * (landscape, never cropped into a portrait box), the channel's placeholder art (portrait), or
 * a letter when there is no image at all.
 */
export interface PosterView {
  src: string | null;
  srcset: string | null;
  placeholder: string | null;
  thumbnail: string | null;
  letter: string;
  shape: 'portrait' | 'landscape';
}

export interface TileView {
  token: string;
  title: string;
  duration: string;
  href: string;
  poster: PosterView;
  /** Admin-hidden (has `kryten-hidden`): the tile offers Unhide. */
  hidden: boolean;
}

export interface ListPageInput {
  mode: 'browse' | 'search';
  result: ListResult;
  facets: Facets;
  q: string;
  category: string | null;
  tag: string | null;
  length?: CatalogLength | null;
  /** The page's own path and heading (a grid reached from a home row). */
  path?: string;
  heading?: string;
  isAdmin: boolean;
  showHidden: boolean;
  /** Tokens on this page an admin has hidden. */
  hiddenTokens: ReadonlySet<string>;
}

function artUrl(path: string, width: number): string {
  return `/images/${encodeURIComponent(path)}/${width}.webp`;
}

/** Poster choice: real poster → thumbnail (landscape) → placeholder → letter. */
export function posterFor(
  item: Pick<CatalogItemSummary, 'title' | 'cover_art_path' | 'cover_art_source' | 'thumbnail_url'>,
  placeholder: string | null,
): PosterView {
  const letter = (item.title.trim().match(/[\p{L}\p{N}]/u)?.[0] ?? '#').toUpperCase();
  if (item.cover_art_path && item.cover_art_source && REAL_POSTER_SOURCES.includes(item.cover_art_source)) {
    return {
      src: artUrl(item.cover_art_path, 400),
      srcset: ART_WIDTHS.map((w) => `${artUrl(item.cover_art_path as string, w)} ${w}w`).join(', '),
      placeholder: null,
      thumbnail: null,
      letter,
      shape: 'portrait',
    };
  }
  const thumbnail = item.cover_art_path ? artUrl(item.cover_art_path, 400) : safeUrl(item.thumbnail_url);
  if (thumbnail) return { src: null, srcset: null, placeholder: null, thumbnail, letter, shape: 'landscape' };
  return { src: null, srcset: null, placeholder, thumbnail: null, letter, shape: 'portrait' };
}

/** Only http(s) or site-relative URLs reach an `src` attribute. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  return /^https?:\/\//i.test(url) || url.startsWith('/') ? url : null;
}

/** Builds the Handlebars view models of the catalog pages. */
@Injectable()
export class CatalogViews {
  constructor(private readonly placeholders: PlaceholderArt) {}

  async listPage(input: ListPageInput): Promise<Record<string, unknown>> {
    const { result, mode } = input;
    const pick = await this.placeholders.picker();
    const path = input.path ?? (mode === 'search' ? '/catalog/search' : '/catalog/browse');
    const length = input.length ?? null;
    const heading =
      mode === 'search'
        ? `Results for "${input.q}"`
        : (input.heading ?? (length ? LENGTH_RANGES[length].label : 'Browse Catalog'));
    const params = (
      page: number,
      overrides: Record<string, unknown> = {},
    ): Record<string, string | number | boolean | null> => ({
      q: mode === 'search' ? input.q : null,
      category: input.category,
      tag: input.tag,
      length,
      sort: result.sort,
      show_hidden: input.showHidden,
      page,
      ...(overrides as Record<string, string | number | boolean | null>),
    });
    const last = result.total_pages;
    const page = result.page;
    const numbers = pageWindow(page, last);
    return {
      title: heading,
      heading,
      length,
      lengthLabel: length ? LENGTH_RANGES[length].label : null,
      clearLengthHref: length ? catalogLink(path, params(1, { length: null })) : null,
      formAction: mode === 'search' ? '/catalog/search' : path,
      scripts: ['catalog.js', 'receipt.js', 'tiles.js'],
      bodyClass: 'catalog-page',
      mode,
      q: input.q,
      total: result.total,
      tiles: result.items.map((item) => this.tile(item, pick(), input.hiddenTokens.has(item.friendly_token))),
      categories: input.facets.categories.map((c: CategoryFacet) => ({
        ...c,
        selected: c.slug === input.category,
      })),
      tags: input.facets.tags.map((t: TagFacet) => ({ ...t, selected: t.name === input.tag })),
      sorts: SORTS.map((key: CatalogSort) => ({
        key,
        label: SORT_LABELS[key],
        selected: key === result.sort,
      })),
      isAdmin: input.isAdmin,
      showHidden: input.showHidden,
      toggleHiddenHref: catalogLink(path, params(1, { show_hidden: !input.showHidden })),
      pager: {
        page,
        total_pages: last,
        prev: page > 1 ? catalogLink(path, params(page - 1)) : null,
        next: page < last ? catalogLink(path, params(page + 1)) : null,
        pages: numbers.map((n) => ({
          n,
          href: catalogLink(path, params(n)),
          current: n === page,
        })),
        // the first and the last page are always one click away
        first: numbers[0] > 1 ? { n: 1, href: catalogLink(path, params(1)), gap: numbers[0] > 2 } : null,
        last:
          numbers[numbers.length - 1] < last
            ? { n: last, href: catalogLink(path, params(last)), gap: numbers[numbers.length - 1] < last - 1 }
            : null,
        show: last > 1,
      },
    };
  }

  async itemPage(
    item: CatalogItemEntity,
    facets: { categories: { name: string; slug: string }[]; tags: string[] },
    isAdmin: boolean,
    hidden: boolean,
  ): Promise<Record<string, unknown>> {
    const pick = await this.placeholders.picker();
    return {
      title: item.title,
      scripts: ['catalog.js', 'receipt.js', 'tiles.js'],
      item: {
        token: item.friendly_token,
        title: item.title,
        description: item.description,
        duration: formatDuration(item.duration_sec ?? 0),
        poster: posterFor(item, pick()),
      },
      categories: facets.categories.map((c) => ({
        ...c,
        href: catalogLink('/catalog/browse', { category: c.slug }),
      })),
      tags: facets.tags.map((t) => ({ name: t, href: catalogLink('/catalog/browse', { tag: t }) })),
      isAdmin,
      hidden,
    };
  }

  /** Tiles for a row of the home page. */
  async tiles(items: readonly CatalogItemSummary[]): Promise<TileView[]> {
    const pick = await this.placeholders.picker();
    return items.map((item) => this.tile(item, pick(), false));
  }

  private tile(item: CatalogItemSummary, placeholder: string | null, hidden: boolean): TileView {
    return {
      hidden,
      token: item.friendly_token,
      title: item.title,
      duration: formatDuration(item.duration_sec ?? 0),
      href: `/catalog/item/${encodeURIComponent(item.friendly_token)}`,
      poster: posterFor(item, placeholder),
    };
  }
}
