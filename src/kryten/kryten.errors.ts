import { DomainException } from '../common/domain-exception';

/**
 * Typed failures of the outside services. Each carries the upstream
 * service name and, where there was one, the upstream HTTP status; the global filter renders
 * `{detail, code}` with our own status.
 */

export type UpstreamService = 'kryten-api-gate' | 'mediacms' | 'tmdb' | 'omdb' | 'microsoft-graph';

const SERVICE_NAMES: Record<UpstreamService, string> = {
  'kryten-api-gate': 'api-gate',
  mediacms: 'MediaCMS',
  tmdb: 'TMDb',
  omdb: 'OMDb',
  'microsoft-graph': 'Microsoft Graph',
};

/** Network error, timeout, 5xx or a plain-text 500: the service is not answering properly. */
export class UpstreamUnavailableError extends DomainException {
  constructor(
    readonly service: UpstreamService,
    readonly reason: string,
    readonly upstreamStatus: number | null = null,
  ) {
    super(503, 'upstream_unavailable', `${service} is unavailable: ${reason}`);
  }
}

/** CyTube refused the media (`queueFail`): api-gate's 422 with a string `detail` on /playlist/add. */
export class CytubeQueueFailError extends DomainException {
  constructor(readonly cytubeMessage: string) {
    super(422, 'queue_fail', cytubeMessage);
  }
}

/** 404, or MediaCMS's 400 `media file does not exist`. */
export class UpstreamNotFoundError extends DomainException {
  constructor(
    readonly service: UpstreamService,
    what: string,
    readonly upstreamStatus: number,
  ) {
    super(404, 'upstream_not_found', `${service}: ${what} not found`);
  }
}

/** Any other refusal: 4xx (incl. 422 validation lists) and economy envelope failures (502 `{detail}`). */
export class UpstreamRejectedError extends DomainException {
  constructor(
    readonly service: UpstreamService,
    readonly upstreamDetail: string,
    readonly upstreamStatus: number,
  ) {
    super(
      502,
      'upstream_rejected',
      `${service} rejected the request (HTTP ${upstreamStatus}): ${upstreamDetail}`,
    );
  }
}

/** 401: our configured token is wrong. */
export class UpstreamAuthError extends DomainException {
  constructor(
    readonly service: UpstreamService,
    readonly upstreamDetail: string,
  ) {
    super(
      502,
      'upstream_auth',
      `${SERVICE_NAMES[service]} rejected our ${service === 'tmdb' || service === 'omdb' ? 'API key' : 'token'} (${upstreamDetail})`,
    );
  }
}
