import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { type Dispatcher, FormData } from 'undici';
import {
  UpstreamAuthError,
  UpstreamNotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from './kryten.errors';
import { detailOf, HttpTransport } from './kryten.http';

export interface MediaCmsClientOptions {
  /** Config `mediacms_url`, already normalised (no trailing `/api/v1` or `/api`). */
  baseUrl: string;
  token: string;
  /** Default 30 s. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

/** One `manage_media` list item (MediaSerializer). No categories or tags here. */
export interface MediaCmsListItem {
  friendly_token: string;
  title: string;
  description: string;
  /** Integer seconds; 0 until probed. */
  duration: number;
  add_date: string | null;
  /** Absolute, or null. */
  thumbnail_url: string | null;
  user: string;
  state?: string;
  media_type?: string;
  url?: string;
  [key: string]: unknown;
}

export interface MediaCmsPage {
  count: number;
  /** Absolute URL of the next page, followed exactly as given. */
  next: string | null;
  previous: string | null;
  results: MediaCmsListItem[];
}

/** Item detail (SingleMediaSerializer), with the facet names pulled out. */
export interface MediaCmsDetail {
  title: string;
  description: string;
  duration: number;
  user: string;
  state?: string;
  /** Relative to the site (`/media/original/...`), or null. */
  thumbnail_url: string | null;
  poster_url: string | null;
  categories: string[];
  tags: string[];
  categories_info: { title: string; url?: string }[];
  tags_info: { title: string; url?: string }[];
  raw: Record<string, unknown>;
}

/** One entry of the deployment-only `media_facets` list: category and tag names by token. */
export interface MediaCmsFacets {
  friendly_token: string;
  categories: string[];
  tags: string[];
}

export interface MediaCmsFacetsPage {
  /** Entries whose shape was right; the others are left out (their items fall back to detail). */
  results: MediaCmsFacets[];
  has_next: boolean;
}

const SERVICE = 'mediacms';

function names(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.every((v): v is string => typeof v === 'string') ? value : null;
}

/** `{base}/api/v1/media/cytube/{token}.json?format=json`. */
export function manifestUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/media/cytube/${token}.json?format=json`;
}

/**
 * The friendly token in a manifest URL (`…/api/v1/media/cytube/TOKEN.json…`), a watch URL
 * (`…/view?m=TOKEN`) or a detail URL (`…/api/v1/media/TOKEN`); null otherwise.
 */
export function tokenFromManifestUrl(url: string): string | null {
  const manifest = /\/api\/v1\/media\/cytube\/([A-Za-z0-9_-]+)\.json(?:[?#]|$)/.exec(url);
  if (manifest) return manifest[1];
  const watch = /\/view\?(?:[^#]*&)?m=([A-Za-z0-9_-]+)/.exec(url);
  if (watch) return watch[1];
  const detail = /\/api\/v1\/media\/([A-Za-z0-9_-]+)\/?(?:[?#]|$)/.exec(url);
  return detail && detail[1] !== 'cytube' ? detail[1] : null;
}

function titles(list: unknown): { title: string; url?: string }[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (x): x is { title: string; url?: string } =>
        !!x && typeof (x as { title?: unknown }).title === 'string',
    )
    .map((x) => ({ title: x.title, url: x.url }));
}

/**
 * MediaCMS over HTTP with DRF token auth. Never retries.
 */
export class MediaCmsClient {
  readonly baseUrl: string;
  private readonly http: HttpTransport;
  private readonly writeListeners = new Set<(token: string) => void>();

  constructor(private readonly options: MediaCmsClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = new HttpTransport(SERVICE, options.timeoutMs ?? 30_000, options.connectTimeoutMs ?? 10_000);
  }

  manifestUrl(token: string): string {
    return manifestUrl(this.baseUrl, token);
  }

  /**
   * Calls `listener` with the token after each accepted write of a media's fields (tags, title,
   * description) by this process, so a reader of older copies can drop them. Returns the unsubscribe.
   */
  onMediaWritten(listener: (token: string) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  tokenFromManifestUrl(url: string): string | null {
    return tokenFromManifestUrl(url);
  }

  /** One page of `manage_media` (page size is fixed at 50). Pass a `next` URL to continue. */
  async listManageMedia(pageUrl?: string): Promise<MediaCmsPage> {
    const url = pageUrl ?? `${this.baseUrl}/api/v1/manage_media?page_size=50`;
    const body = (await this.call('GET', url, 'media page')) as Partial<MediaCmsPage> | null;
    return {
      count: typeof body?.count === 'number' ? body.count : 0,
      next: typeof body?.next === 'string' ? body.next : null,
      previous: typeof body?.previous === 'string' ? body.previous : null,
      results: Array.isArray(body?.results) ? body.results : [],
    };
  }

  /** Reachable with our token? One small listing page; returns the catalog size MediaCMS reports. */
  async ping(): Promise<{ count: number }> {
    const page = await this.listManageMedia(`${this.baseUrl}/api/v1/manage_media?page_size=1`);
    return { count: page.count };
  }

  /** Every `manage_media` item, following `next` until null or an empty page. */
  async *iterateManageMedia(): AsyncGenerator<MediaCmsListItem> {
    let url: string | null = null;
    for (;;) {
      const page: MediaCmsPage = await this.listManageMedia(url ?? undefined);
      yield* page.results;
      if (!page.next || page.results.length === 0) return;
      url = page.next;
    }
  }

  /** @throws UpstreamNotFoundError for an unknown token (MediaCMS answers 400). */
  async getMedia(token: string): Promise<MediaCmsDetail> {
    const raw = (await this.call('GET', this.mediaUrl(token), `media ${token}`)) as Record<string, unknown>;
    const categoriesInfo = titles(raw.categories_info);
    const tagsInfo = titles(raw.tags_info);
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    return {
      title: str(raw.title),
      description: str(raw.description),
      duration: typeof raw.duration === 'number' ? raw.duration : 0,
      user: str(raw.user),
      state: typeof raw.state === 'string' ? raw.state : undefined,
      thumbnail_url: typeof raw.thumbnail_url === 'string' ? raw.thumbnail_url : null,
      poster_url: typeof raw.poster_url === 'string' ? raw.poster_url : null,
      categories: categoriesInfo.map((c) => c.title),
      tags:
        tagsInfo.length > 0
          ? tagsInfo.map((t) => t.title)
          : Array.isArray(raw.tags)
            ? raw.tags.map(String)
            : [],
      categories_info: categoriesInfo,
      tags_info: tagsInfo,
      raw,
    };
  }

  /**
   * One page of the deployment-only `GET /api/v1/media_facets?page=N&page_size=M` (upstream
   * MediaCMS has no such route and answers 404).
   * @throws UpstreamRejectedError when a 200 answer is not `{results:[…], has_next}`.
   */
  async listMediaFacets(page: number, pageSize: number): Promise<MediaCmsFacetsPage> {
    const url = `${this.baseUrl}/api/v1/media_facets?page=${page}&page_size=${pageSize}`;
    const body = (await this.call('GET', url, 'media facets')) as {
      results?: unknown;
      has_next?: unknown;
    } | null;
    if (!body || !Array.isArray(body.results) || typeof body.has_next !== 'boolean') {
      throw new UpstreamRejectedError(SERVICE, 'the media_facets answer is not {results, has_next}', 200);
    }
    const results: MediaCmsFacets[] = [];
    for (const entry of body.results as unknown[]) {
      if (!entry || typeof entry !== 'object') continue;
      const e = entry as Record<string, unknown>;
      const categories = names(e.categories);
      const tags = names(e.tags);
      if (typeof e.friendly_token !== 'string' || !categories || !tags) continue;
      results.push({ friendly_token: e.friendly_token, categories, tags });
    }
    return { results, has_next: body.has_next };
  }

  /** PUT form `tags=a,b`. Upstream hands the media to our token's user: restore with changeOwner. */
  async updateTags(token: string, tags: string[]): Promise<void> {
    await this.call('PUT', this.mediaUrl(token), `media ${token}`, { form: { tags: tags.join(',') } });
    this.written(token);
  }

  /**
   * PUT form fields (title, description, tags): only the fields given change. Upstream hands
   * the media to our token's user: restore the owner with changeOwner afterwards.
   */
  async updateMedia(
    token: string,
    fields: { title?: string; description?: string; tags?: string[] },
  ): Promise<void> {
    const form: Record<string, string> = {};
    if (fields.title !== undefined) form.title = fields.title;
    if (fields.description !== undefined) form.description = fields.description;
    if (fields.tags !== undefined) form.tags = fields.tags.join(',');
    await this.call('PUT', this.mediaUrl(token), `media ${token}`, { form });
    this.written(token);
  }

  /**
   * One page of the public `GET /api/v1/media` list, the fallback when our token may not use
   * `manage_media` (403). Upstream cuts it at about 1000 items.
   */
  async listPublicMedia(pageUrl?: string): Promise<MediaCmsPage> {
    const url = pageUrl ?? `${this.baseUrl}/api/v1/media?page=1`;
    const body = (await this.call('GET', url, 'media page')) as Partial<MediaCmsPage> | null;
    return {
      count: typeof body?.count === 'number' ? body.count : 0,
      next: typeof body?.next === 'string' ? body.next : null,
      previous: null,
      results: Array.isArray(body?.results) ? body.results : [],
    };
  }

  /** `GET /api/v1/search?q=`, first page: public media matching in title or description. */
  async search(query: string): Promise<MediaCmsListItem[]> {
    const url = `${this.baseUrl}/api/v1/search?q=${encodeURIComponent(query)}`;
    const body = (await this.call('GET', url, 'search')) as { results?: unknown } | null;
    return Array.isArray(body?.results) ? (body.results as MediaCmsListItem[]) : [];
  }

  /**
   * Upload a file: `POST /api/v1/media`, multipart `media_file` plus `title` and `description`.
   * Upstream answers 201 with the new media (its friendly_token) and encodes in the background.
   */
  async uploadMedia(
    filePath: string,
    meta: { title: string; description: string },
    signal?: AbortSignal,
  ): Promise<{ friendly_token: string; title: string }> {
    const form = new FormData();
    form.set('media_file', await openAsBlob(filePath), basename(filePath));
    form.set('title', meta.title.slice(0, 100));
    form.set('description', meta.description);
    const body = (await this.call('POST', `${this.baseUrl}/api/v1/media`, 'upload', {
      multipart: form,
      timeoutMs: 30 * 60_000,
      signal,
    })) as { friendly_token?: unknown; title?: unknown } | null;
    if (!body || typeof body.friendly_token !== 'string') {
      throw new UpstreamRejectedError(SERVICE, 'the upload answer has no friendly_token', 201);
    }
    return {
      friendly_token: body.friendly_token,
      title: typeof body.title === 'string' ? body.title : meta.title,
    };
  }

  async changeOwner(token: string, owner: string): Promise<void> {
    await this.call('POST', `${this.baseUrl}/api/v1/media/user/bulk_actions`, 'bulk action', {
      json: { action: 'change_owner', media_ids: [token], owner },
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private written(token: string): void {
    for (const listener of this.writeListeners) listener(token);
  }

  private mediaUrl(token: string): string {
    return `${this.baseUrl}/api/v1/media/${encodeURIComponent(token)}`;
  }

  private async call(
    method: Dispatcher.HttpMethod,
    url: string,
    what: string,
    body: {
      json?: unknown;
      form?: Record<string, string>;
      multipart?: FormData;
      timeoutMs?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<unknown> {
    const res = await this.http.send({
      method,
      url,
      headers: { authorization: `Token ${this.options.token}` },
      ...body,
    });
    if (res.status >= 200 && res.status < 300) return res.body;
    const detail = detailOf(res.body);
    if (res.status === 401) throw new UpstreamAuthError(SERVICE, detail);
    if (
      res.status === 404 ||
      (res.status === 400 && (method === 'GET' || detail === 'media file does not exist'))
    ) {
      throw new UpstreamNotFoundError(SERVICE, what, res.status);
    }
    if (res.status >= 500) {
      throw new UpstreamUnavailableError(SERVICE, `HTTP ${res.status}: ${detail}`, res.status);
    }
    throw new UpstreamRejectedError(SERVICE, detail, res.status);
  }
}
