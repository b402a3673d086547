import {
  UpstreamAuthError,
  UpstreamNotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from './kryten.errors';
import { detailOf, HttpTransport, type HttpResponse } from './kryten.http';
import { type SleepFn } from './metadata-http';
import { backoffMs } from './retry-after';

/**
 * Microsoft Graph v1.0 for the weekend workbook: resolve a SharePoint sharing link, download
 * the file (Graph answers `/content` with a 302 to a pre-authenticated URL, fetched without our
 * token), and write cells through a workbook session. A 401 asks the token source again once
 * (refresh); 429 and 503/504 back off like the metadata services.
 */

export interface GraphClientOptions {
  /** Config `fetchurls.graph_url`, e.g. `https://graph.microsoft.com/v1.0`. */
  baseUrl: string;
  /** A fresh access token; `force` after a 401. */
  token: (force: boolean) => Promise<string>;
  sleep: SleepFn;
}

export interface SharedItem {
  driveId: string;
  itemId: string;
  name: string;
}

const SERVICE = 'microsoft-graph';

/** Graph's share id for a sharing URL: `u!` + unpadded base64url. */
export function shareId(sharingUrl: string): string {
  return `u!${Buffer.from(sharingUrl).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`;
}

function graphMessage(body: unknown): string {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string') {
    return typeof err.code === 'string' ? `${err.code}: ${err.message}` : err.message;
  }
  return detailOf(body);
}

export class GraphClient {
  private readonly http = new HttpTransport(SERVICE, 60_000, 10_000);
  private readonly base: string;

  constructor(private readonly options: GraphClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async resolveShare(sharingUrl: string): Promise<SharedItem> {
    const res = await this.send('GET', `/shares/${shareId(sharingUrl)}/driveItem`);
    const b = res.body as { id?: unknown; name?: unknown; parentReference?: { driveId?: unknown } };
    if (typeof b?.id !== 'string' || typeof b.parentReference?.driveId !== 'string') {
      throw new UpstreamRejectedError(SERVICE, 'the shared item has no drive or item id', res.status);
    }
    return {
      driveId: b.parentReference.driveId,
      itemId: b.id,
      name: typeof b.name === 'string' ? b.name : 'workbook.xlsx',
    };
  }

  async download(item: SharedItem): Promise<Buffer> {
    const res = await this.send('GET', `/drives/${item.driveId}/items/${item.itemId}/content`, undefined, {
      binary: true,
    });
    if (res.status === 302 || res.status === 301 || res.status === 307) {
      const location = res.headers.location;
      if (!location) {
        throw new UpstreamRejectedError(SERVICE, 'download redirect without a Location', res.status);
      }
      const target = new URL(location, this.base).toString();
      const file = await this.http.send({ method: 'GET', url: target, binary: true });
      if (file.status !== 200) {
        throw new UpstreamUnavailableError(SERVICE, `download answered HTTP ${file.status}`, file.status);
      }
      return file.body as Buffer;
    }
    return res.body as Buffer;
  }

  async createSession(item: SharedItem): Promise<string> {
    const res = await this.send(
      'POST',
      `/drives/${item.driveId}/items/${item.itemId}/workbook/createSession`,
      { persistChanges: true },
    );
    const id = (res.body as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') {
      throw new UpstreamRejectedError(SERVICE, 'createSession gave no session id', res.status);
    }
    return id;
  }

  async writeCell(
    item: SharedItem,
    session: string,
    sheet: string,
    address: string,
    value: string,
  ): Promise<void> {
    const path = `/drives/${item.driveId}/items/${item.itemId}/workbook/worksheets/${encodeURIComponent(sheet)}/range(address='${address}')`;
    await this.send('PATCH', path, { values: [[value]] }, { session });
  }

  async closeSession(item: SharedItem, session: string): Promise<void> {
    await this.send(
      'POST',
      `/drives/${item.driveId}/items/${item.itemId}/workbook/closeSession`,
      {},
      { session },
    );
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async send(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    json?: unknown,
    extra: { binary?: boolean; session?: string } = {},
  ): Promise<HttpResponse> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.options.token(refreshed);
      const res = await this.http.send({
        method,
        url: `${this.base}${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(extra.session ? { 'workbook-session-id': extra.session } : {}),
        },
        json,
        binary: extra.binary,
      });
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        continue;
      }
      if (res.status === 429 || res.status === 503 || res.status === 504) {
        const wait = backoffMs(attempt, res.headers['retry-after'] ?? null, Date.now());
        if (wait !== null) {
          await this.options.sleep(wait);
          continue;
        }
      }
      if (
        (res.status >= 200 && res.status < 300) ||
        (extra.binary && res.status >= 300 && res.status < 400)
      ) {
        return res;
      }
      const body = extra.binary && Buffer.isBuffer(res.body) ? safeJson(res.body) : res.body;
      const message = graphMessage(body);
      if (res.status === 401) throw new UpstreamAuthError(SERVICE, message);
      if (res.status === 404) {
        throw new UpstreamNotFoundError(
          SERVICE,
          path.startsWith('/shares/') ? 'the shared workbook' : 'the workbook item',
          404,
        );
      }
      if (res.status >= 500) {
        throw new UpstreamUnavailableError(SERVICE, `HTTP ${res.status}: ${message}`, res.status);
      }
      throw new UpstreamRejectedError(SERVICE, message, res.status);
    }
  }
}

function safeJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return buf.toString('utf8').slice(0, 200);
  }
}
