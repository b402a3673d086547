import { Agent, errors, type FormData, request, type Dispatcher } from 'undici';
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
  /** Lowercased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

export interface HttpRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** A multipart body (uploads); the boundary header is set by undici. */
  multipart?: FormData;
  /** Raw bytes or text to send as is, with the content-type in `headers`. */
  raw?: Buffer | string;
  /** The body as a Buffer, not parsed (downloads). */
  binary?: boolean;
  /** Overrides the transport's total deadline for this request (long uploads). */
  timeoutMs?: number;
  /** Aborts the request (a cancelled job). */
  signal?: AbortSignal;
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
    let body: string | Buffer | FormData | undefined;
    if (req.multipart !== undefined) {
      body = req.multipart;
    } else if (req.raw !== undefined) {
      body = req.raw;
    } else if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const controller = new AbortController();
    const deadline = req.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => controller.abort(), deadline);
    const onCancel = (): void => controller.abort();
    req.signal?.addEventListener('abort', onCancel, { once: true });
    try {
      const res = await request(req.url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: controller.signal,
      });
      const resHeaders: Record<string, string> = {};
      for (const [key, value] of Object.entries(res.headers)) {
        if (value !== undefined) {
          resHeaders[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
      }
      const contentType = resHeaders['content-type'] ?? '';
      if (req.binary) {
        const bytes = Buffer.from(await res.body.arrayBuffer());
        return { status: res.statusCode, contentType, body: bytes, isJson: false, headers: resHeaders };
      }
      // One copy into a Buffer and one decode: undici's text() is a third slower on a large
      // playlist, which the poller reads every few seconds.
      const text = Buffer.from(await res.body.arrayBuffer()).toString('utf8');
      if (contentType.includes('json')) {
        try {
          return {
            status: res.statusCode,
            contentType,
            body: text === '' ? null : JSON.parse(text),
            isJson: true,
            headers: resHeaders,
          };
        } catch {
          return { status: res.statusCode, contentType, body: text, isJson: false, headers: resHeaders };
        }
      }
      return { status: res.statusCode, contentType, body: text, isJson: false, headers: resHeaders };
    } catch (err) {
      if (req.signal?.aborted) {
        throw req.signal.reason instanceof Error ? req.signal.reason : new Error('cancelled');
      }
      throw new UpstreamUnavailableError(
        this.service,
        this.describe(err, controller.signal.aborted, deadline),
      );
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCancel);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private describe(err: unknown, aborted: boolean, deadline: number): string {
    if (aborted) return `timeout after ${deadline} ms`;
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
