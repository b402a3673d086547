import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimitedException } from '../auth/auth.exceptions';
import { RateLimits, type SharedLimit } from '../cluster/rate-limits';
import { Clock } from '../common/clock';
import { DomainException } from '../common/domain-exception';
import { bearerKey } from './devices.rules';
import { DevicesService } from './devices.service';

export class DeviceKeyRequiredException extends DomainException {
  constructor(detail: string) {
    super(401, 'device_key_required', detail);
  }
}

export interface DeviceRequest extends Request {
  device?: { id: number; username: string };
}

/** Reads per linked device and minute: an overlay polling every second stays well inside. */
export const DEVICE_READS_PER_MINUTE = 120;

/**
 * The public read API's auth: `Authorization: Bearer wqk_…` of a live device key, else 401 with
 * `WWW-Authenticate` (RFC 6750); each key rate-limited (429 with Retry-After).
 */
@Injectable()
export class DeviceKeyGuard implements CanActivate {
  /** Counted by every instance together (in Redis when there are several). */
  private readonly limiter: SharedLimit;

  constructor(
    private readonly devices: DevicesService,
    private readonly clock: Clock,
    limits: RateLimits,
  ) {
    this.limiter = limits.create('device-reads', DEVICE_READS_PER_MINUTE, 60_000);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeviceRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const header = req.headers.authorization;
    const key = bearerKey(header);
    if (!key) {
      res.setHeader(
        'WWW-Authenticate',
        header ? 'Bearer realm="webqueue", error="invalid_token"' : 'Bearer realm="webqueue"',
      );
      throw new DeviceKeyRequiredException(
        header
          ? 'That is not a webqueue device key (it starts with wqk_)'
          : 'A device key is needed: link this device from your webqueue dashboard, then send Authorization: Bearer <key>',
      );
    }
    const device = await this.devices.authenticate(key);
    if (!device) {
      res.setHeader(
        'WWW-Authenticate',
        'Bearer realm="webqueue", error="invalid_token", error_description="revoked or unknown key"',
      );
      throw new DeviceKeyRequiredException(
        'This device key was revoked or never existed: link the device again',
      );
    }
    const verdict = await this.limiter.hit(String(device.id), this.clock.nowMs());
    if (!verdict.allowed) {
      throw new RateLimitedException(
        `Too many requests from this device: try again in ${verdict.retryAfterSec} s`,
        verdict.retryAfterSec,
      );
    }
    req.device = device;
    return true;
  }
}
