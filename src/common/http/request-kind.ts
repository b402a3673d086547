import type { Request } from 'express';

/**
 * Whether a request wants JSON (API) or a rendered page. Pages are GET requests whose
 * client accepts HTML; everything else (fetch calls, POSTs, /health) is an API call.
 */
export function wantsHtml(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html');
}
