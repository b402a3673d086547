import { Agent, errors, request, type Dispatcher } from 'undici';
import { type UpstreamService, UpstreamUnavailableError } from './kryten.errors';

/**
 * The one HTTP primitive both clients use: undici with a connect timeout (on the Agent) and a
 * total deadline (an AbortSignal covering headers and body). Never retries. Transport failures
 * become UpstreamUnavailableError; every HTTP status is returned for the caller to map.
 */

export interface HttpResponse {
  status: number;
  contentType: string;
  /** Parsed JSON when the body is JSON, otherwise the raw text. */
  body: unknown;
  isJson: boolean;
}

export interface HttpRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

export class HttpTransport {
  private readonly agent: Agent;

  constructor(
    private readonly service: UpstreamService,
    private readonly timeoutMs: number,
    private readonly connectTimeoutMs: number,
  ) {
    this.agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 4_000 });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const res = await request(req.url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: controller.signal,
      });
      const text = await res.body.text();
      const rawType = res.headers['content-type'];
      const contentType = (Array.isArray(rawType) ? rawType[0] : rawType) ?? '';
      if (contentType.includes('json')) {
        try {
          return {
            status: res.statusCode,
            contentType,
            body: text === '' ? null : JSON.parse(text),
            isJson: true,
          };
        } catch {
          return { status: res.statusCode, contentType, body: text, isJson: false };
        }
      }
      return { status: res.statusCode, contentType, body: text, isJson: false };
    } catch (err) {
      throw new UpstreamUnavailableError(this.service, this.describe(err, controller.signal.aborted));
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private describe(err: unknown, aborted: boolean): string {
    if (aborted) return `timeout after ${this.timeoutMs} ms`;
    if (err instanceof errors.ConnectTimeoutError) return `connect timeout after ${this.connectTimeoutMs} ms`;
    const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    return err instanceof Error ? err.message : String(err);
  }
}

/** A string `detail` from a FastAPI/DRF error body, or a short rendering of whatever came back. */
export function detailOf(body: unknown): string {
  if (body && typeof body === 'object' && 'detail' in body) {
    const detail = body.detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).join('.')}: ${d.msg ?? 'invalid'}`)
        .join('; ');
    }
    return JSON.stringify(detail);
  }
  if (typeof body === 'string') return body.slice(0, 200) || 'empty body';
  return JSON.stringify(body)?.slice(0, 200) ?? 'empty body';
}
