import { type CatalogItem } from './catalog-generator';

/**
 * The MediaCMS side: `manage_media` paging (50 per page, absolute `next`),
 * detail with relative image paths, tag writes (a PUT hands the media to the token's user),
 * owner changes, the deployment-only CyTube manifest, and deletion for "vanished upstream".
 */

export const PAGE_SIZE = 50;
/** `media_facets` pages: `page_size` is honoured up to this many. */
export const FACETS_MAX_PAGE_SIZE = 1000;

export type FacetsResult =
  | {
      ok: true;
      body: {
        results: { friendly_token: string; tags: string[]; categories: string[] }[];
        has_next: boolean;
      };
    }
  | { ok: false; status: 404; body: { detail: string } };

export type ListResult =
  | { ok: true; body: { count: number; next: string | null; previous: string | null; results: unknown[] } }
  | { ok: false; status: 404; body: { detail: string } };

const SORT_FIELDS = ['title', 'add_date', 'edit_date', 'views', 'likes', 'reported_times'] as const;
type SortField = (typeof SORT_FIELDS)[number];

export class MediaCmsStore {
  private readonly byToken = new Map<string, CatalogItem>();
  private ordered: CatalogItem[];
  private version = 0;
  private readonly cache = new Map<string, { version: number; items: CatalogItem[] }>();
  private readonly encoding = new Map<string, { readyAt: number; duration: number }>();
  /** How long an upload stays `pending` on the sim clock. */
  encodedAfterMs = 30_000;

  constructor(
    items: CatalogItem[],
    private readonly now: () => number,
    /** The user our API token belongs to; a PUT reassigns the media to it (upstream quirk). */
    readonly tokenUser = 'sim-editor',
  ) {
    this.ordered = items;
    for (const item of items) this.byToken.set(item.friendly_token, item);
  }

  get size(): number {
    return this.ordered.length;
  }

  get(token: string): CatalogItem | undefined {
    return this.byToken.get(token);
  }

  all(): readonly CatalogItem[] {
    return this.ordered;
  }

  remove(token: string): boolean {
    const item = this.byToken.get(token);
    if (!item) return false;
    this.byToken.delete(token);
    this.ordered = this.ordered.filter((i) => i !== item);
    this.version++;
    return true;
  }

  add(item: CatalogItem): void {
    this.remove(item.friendly_token);
    this.byToken.set(item.friendly_token, item);
    this.ordered = [item, ...this.ordered];
    this.version++;
  }

  setTags(token: string, tags: string[]): CatalogItem | undefined {
    const item = this.byToken.get(token);
    if (!item) return undefined;
    item.tags = [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
    item.user = this.tokenUser;
    item.edit_date = new Date(this.now()).toISOString();
    this.version++;
    return item;
  }

  /**
   * A PUT of form fields: only the fields sent change, and the media is handed to the token's
   * user (the upstream quirk every writer restores with `change_owner`).
   */
  updateFields(
    token: string,
    fields: { title?: string; description?: string; tags?: string },
  ): CatalogItem | undefined {
    const item = this.byToken.get(token);
    if (!item) return undefined;
    if (fields.title !== undefined) item.title = fields.title.slice(0, 100);
    if (fields.description !== undefined) item.description = fields.description;
    if (fields.tags !== undefined) {
      item.tags = [
        ...new Set(
          fields.tags
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== ''),
        ),
      ];
    }
    item.user = this.tokenUser;
    item.edit_date = new Date(this.now()).toISOString();
    this.version++;
    return item;
  }

  /**
   * `POST /api/v1/media` (multipart `media_file`, `title`, `description`): a new public item owned
   * by the token's user, encoding `pending` with duration 0 until `encodedAfterMs` has passed on
   * the sim clock (MediaCMS probes and encodes in the background).
   */
  upload(input: {
    token: string;
    filename: string;
    bytes: number;
    title?: string;
    description?: string;
  }): CatalogItem {
    const nowIso = new Date(this.now()).toISOString();
    const item: CatalogItem = {
      friendly_token: input.token,
      title: (input.title?.trim() || input.filename.replace(/\.[^.]+$/, '')).slice(0, 100),
      description: input.description ?? '',
      duration: 0,
      add_date: nowIso,
      edit_date: nowIso,
      user: this.tokenUser,
      state: 'public',
      media_type: 'video',
      encoding_status: 'pending',
      views: 0,
      likes: 0,
      dislikes: 0,
      reported_times: 0,
      featured: false,
      is_reviewed: true,
      size: `${Math.max(1, Math.round(input.bytes / 1_000_000))}MB`,
      categories: [],
      tags: [],
      has_thumbnail: true,
    };
    this.add(item);
    this.encoding.set(input.token, {
      readyAt: this.now() + this.encodedAfterMs,
      duration: Math.max(5, Math.round(input.bytes / 2_000)),
    });
    return item;
  }

  /** Uploads whose encoding time has come get their duration and `success`. */
  settleEncodings(): void {
    for (const [token, job] of this.encoding) {
      if (job.readyAt > this.now()) continue;
      const item = this.byToken.get(token);
      if (item) {
        item.duration = job.duration;
        item.encoding_status = 'success';
        this.version++;
      }
      this.encoding.delete(token);
    }
  }

  /** `GET /api/v1/search?q=`: public, reviewed media whose title or description contains q. */
  search(q: string): CatalogItem[] {
    const needle = q.trim().toLowerCase();
    if (needle === '') return [];
    return this.ordered.filter(
      (i) =>
        i.state === 'public' &&
        (i.title.toLowerCase().includes(needle) || i.description.toLowerCase().includes(needle)),
    );
  }

  changeOwner(tokens: string[], owner: string): number {
    let changed = 0;
    for (const token of tokens) {
      const item = this.byToken.get(token);
      if (item) {
        item.user = owner;
        changed++;
      }
    }
    this.version++;
    return changed;
  }

  /** `GET /api/v1/manage_media` with DRF paging; `requestUrl` is the absolute URL asked for. */
  list(requestUrl: URL, origin: string): ListResult {
    const q = requestUrl.searchParams;
    const items = this.filtered(q);
    const page = q.has('page') ? Number(q.get('page')) : 1;
    const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
    if (!Number.isInteger(page) || page < 1 || page > pages) {
      return { ok: false, status: 404, body: { detail: 'Invalid page.' } };
    }
    const pageUrl = (n: number): string => {
      const u = new URL(requestUrl.toString());
      u.searchParams.set('page', String(n));
      return u.toString();
    };
    const results = items
      .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
      .map((item) => this.listItem(item, origin));
    return {
      ok: true,
      body: {
        count: items.length,
        next: page < pages ? pageUrl(page + 1) : null,
        previous: page > 1 ? pageUrl(page - 1) : null,
        results,
      },
    };
  }

  /**
   * The deployment-only `GET /api/v1/media_facets?page=N&page_size=M`: every item's category and
   * tag names, in primary-key order (oldest first), the opposite of the list's newest-first
   * default, so a reader must hold what it fetched until the list reaches it. A page past the
   * end is 404 `Invalid page.` like DRF's page-number paging.
   */
  facets(requestUrl: URL): FacetsResult {
    const q = requestUrl.searchParams;
    const asked = Number(q.get('page_size') ?? 500);
    const size = Number.isInteger(asked) && asked > 0 ? Math.min(asked, FACETS_MAX_PAGE_SIZE) : 500;
    const page = q.has('page') ? Number(q.get('page')) : 1;
    const pages = Math.max(1, Math.ceil(this.ordered.length / size));
    if (!Number.isInteger(page) || page < 1 || page > pages) {
      return { ok: false, status: 404, body: { detail: 'Invalid page.' } };
    }
    const end = this.ordered.length - (page - 1) * size;
    const results = this.ordered
      .slice(Math.max(0, end - size), end)
      .reverse()
      .map((item) => ({
        friendly_token: item.friendly_token,
        tags: [...item.tags],
        categories: [...item.categories],
      }));
    return { ok: true, body: { results, has_next: page < pages } };
  }

  /** MediaSerializer: absolute URLs, no categories or tags. */
  listItem(item: CatalogItem, origin: string): Record<string, unknown> {
    return {
      friendly_token: item.friendly_token,
      url: `${origin}/view?m=${item.friendly_token}`,
      api_url: `${origin}/api/v1/media/${item.friendly_token}`,
      user: item.user,
      title: item.title,
      description: item.description,
      add_date: item.add_date,
      views: item.views,
      media_type: item.media_type,
      state: item.state,
      duration: item.duration,
      thumbnail_url: item.has_thumbnail ? `${origin}${thumbnailPath(item.friendly_token)}` : null,
      is_reviewed: item.is_reviewed,
      preview_url: `${origin}/media/original/previews/${item.friendly_token}.gif`,
      author_name: item.user,
      author_profile: `${origin}/user/${item.user}/`,
      author_thumbnail: `${origin}/media/userlogos/user.jpg`,
      encoding_status: item.encoding_status,
      likes: item.likes,
      dislikes: item.dislikes,
      reported_times: item.reported_times,
      featured: item.featured,
      user_featured: false,
      size: item.size,
    };
  }

  /** SingleMediaSerializer: relative image paths, categories_info/tags_info, no friendly_token. */
  detail(item: CatalogItem, origin: string): Record<string, unknown> {
    const t = item.friendly_token;
    return {
      url: `${origin}/view?m=${t}`,
      user: item.user,
      title: item.title,
      description: item.description,
      add_date: item.add_date,
      edit_date: item.edit_date,
      media_type: item.media_type,
      state: item.state,
      duration: item.duration,
      thumbnail_url: item.has_thumbnail ? thumbnailPath(t) : null,
      poster_url: item.has_thumbnail ? posterPath(t) : null,
      is_reviewed: item.is_reviewed,
      encoding_status: item.encoding_status,
      views: item.views,
      likes: item.likes,
      dislikes: item.dislikes,
      reported_times: item.reported_times,
      size: item.size,
      categories_info: item.categories.map((title) => ({
        title,
        url: `/search?c=${encodeURIComponent(title)}`,
        is_lms_course: false,
      })),
      tags_info: item.tags.map((title) => ({ title, url: `/search?t=${encodeURIComponent(title)}` })),
      encodings_info: {
        '720': {
          h264: {
            title: '720',
            url: `/media/encoded/${t}.720.mp4`,
            progress: 100,
            size: '',
            encoding_id: 1,
            status: 'success',
          },
        },
      },
      hls_info: {
        master_file: `/media/hls/${t}/master.m3u8`,
        '720_playlist': `/media/hls/${t}/media-1/stream.m3u8`,
      },
      original_media_url: `/media/original/user/${item.user}/${t}.mp4`,
      subtitles_info: [],
      sprites_url: `/media/original/sprites/${t}.jpg`,
      preview_url: `/media/original/previews/${t}.gif`,
    };
  }

  /** The deployment-only CyTube custom-media manifest (§4.4 / §2.7). */
  manifest(item: CatalogItem, origin: string): Record<string, unknown> {
    const t = item.friendly_token;
    return {
      title: item.title,
      duration: item.duration,
      live: false,
      thumbnail: item.has_thumbnail ? `${origin}${thumbnailPath(t)}` : undefined,
      sources: [
        { url: `${origin}/media/hls/${t}/master.m3u8`, contentType: 'application/x-mpegURL', quality: 720 },
      ],
      textTracks: [],
    };
  }

  private filtered(q: URLSearchParams): CatalogItem[] {
    const sortBy: SortField = (SORT_FIELDS as readonly string[]).includes(q.get('sort_by') ?? '')
      ? (q.get('sort_by') as SortField)
      : 'add_date';
    const asc = q.get('ordering') === 'asc';
    const filters = {
      state: q.get('state'),
      encoding_status: q.get('encoding_status'),
      media_type: q.get('media_type'),
      featured: q.get('featured'),
      is_reviewed: q.get('is_reviewed'),
      category: q.get('category'),
    };
    const key = JSON.stringify([sortBy, asc, filters]);
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) return hit.items;
    const items = this.ordered.filter(
      (item) =>
        (!filters.state || item.state === filters.state) &&
        (!filters.encoding_status || item.encoding_status === filters.encoding_status) &&
        (!filters.media_type || item.media_type === filters.media_type) &&
        (!filters.featured || String(item.featured) === filters.featured) &&
        (!filters.is_reviewed || String(item.is_reviewed) === filters.is_reviewed) &&
        (!filters.category || item.categories.some((c) => c.includes(filters.category as string))),
    );
    const dir = asc ? 1 : -1;
    // stable sort; `ordered` is newest first, the add_date default keeps it
    if (!(sortBy === 'add_date' && !asc)) {
      items.sort((a, b) => {
        const x = a[sortBy];
        const y = b[sortBy];
        return x < y ? -dir : x > y ? dir : 0;
      });
    }
    this.cache.set(key, { version: this.version, items });
    return items;
  }
}

export function thumbnailPath(token: string): string {
  return `/media/original/thumbnails/${token}.png`;
}

export function posterPath(token: string): string {
  return `/media/original/posters/${token}.png`;
}

/** `{base}/api/v1/media/cytube/{token}.json?format=json` → token, or null. */
export function manifestToken(url: string): string | null {
  const match = /\/api\/v1\/media\/cytube\/([A-Za-z0-9]+)\.json(?:[?#].*)?$/.exec(url);
  return match ? match[1] : null;
}
