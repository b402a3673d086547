import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException } from '../domain-exception';
import { wantsHtml } from './request-kind';
import { requestIdOf } from './request-context';

interface ErrorBody {
  detail: string;
  code: string;
  [extra: string]: unknown;
}

/**
 * The one exception filter. API routes get `{detail, code, trace_id}` (`trace_id` = the request's
 * `X-Request-Id`; `request_id` stays the spend's id where a purchase answers); HTML routes get the
 * error page. No stack trace ever reaches a client; an unexpected error is logged with the
 * request id that the client also sees.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const { status, body } = this.describe(exception, req);
    body.trace_id = requestIdOf(req);
    if (res.headersSent) return;
    // Pages: not logged in (401), or not an admin (403 admin_required) → the login page.
    if ((status === 401 || (status === 403 && body.code === 'admin_required')) && wantsHtml(req)) {
      res.redirect(302, `/auth/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (wantsHtml(req)) {
      res
        .status(status)
        .render('error', { title: `${status}`, status, detail: body.detail, code: body.code });
      return;
    }
    if (typeof body.retry_after_sec === 'number') res.setHeader('Retry-After', String(body.retry_after_sec));
    res.status(status).json(body);
  }

  private describe(exception: unknown, req: Request): { status: number; body: ErrorBody } {
    if (exception instanceof DomainException) {
      return {
        status: exception.status,
        body: { ...exception.extra, detail: exception.detail, code: exception.code },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const detail = status === 413 ? 'Request body is too large' : httpDetail(exception);
      return { status, body: { detail, code: httpCode(status) } };
    }
    if (isBodyParserError(exception)) {
      return { status: 400, body: { detail: 'Request body is not valid JSON', code: 'bad_request' } };
    }
    const requestId = requestIdOf(req);
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`[${requestId}] ${req.method} ${req.originalUrl}: ${err.message}`, err.stack);
    return {
      status: 500,
      body: {
        detail: `Internal error (request id ${requestId})`,
        code: 'internal_error',
        request_id: requestId,
      },
    };
  }
}

function httpDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  // several constraints of one field can carry the same words: say them once
  if (Array.isArray(message)) return [...new Set(message.map(String))].join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

function httpCode(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'not_authenticated',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    422: 'unprocessable',
    423: 'locked',
    429: 'rate_limited',
    503: 'unavailable',
  };
  return codes[status] ?? (status >= 500 ? 'server_error' : 'error');
}

function isBodyParserError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { type?: string }).type === 'entity.parse.failed';
}
