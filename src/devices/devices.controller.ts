import { PublicQueueService } from './public-queue.service';
import { ApiBearerAuth } from '@nestjs/swagger';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { AdminOnly, CurrentUser, ViewerOnly } from '../auth/auth.decorators';
import { SkipCsrf } from '../auth/csrf.guard';
import { RateLimitedException } from '../auth/auth.exceptions';
import { RateLimits, type SharedLimit } from '../cluster/rate-limits';
import type { SessionUser } from '../auth/session-token';
import { Clock } from '../common/clock';
import { SchedulesService } from '../schedules/schedules.service';
import { DeviceKeyGuard } from './device-key.guard';
import { type DeviceView, DevicesService } from './devices.service';
import { LinkDeviceDto } from './dto/link-device.dto';
import { type PublicCurrent, type PublicEvent, publicEvents, type PublicQueueItem } from './public-api.rules';

/** Link attempts per client address and minute (a code has 27^8 values; this keeps guessing hopeless). */
const LINK_ATTEMPTS_PER_MINUTE = 10;

/** A viewer's linked devices, and the admin's view of all of them. */
@Controller()
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post('user/devices/code')
  @ViewerOnly()
  @HttpCode(200)
  linkCode(
    @CurrentUser() user: SessionUser,
  ): Promise<{ code: string; expires_at: Date; expires_in: number }> {
    return this.devices.createLinkCode(user.username);
  }

  @Get('user/devices')
  @ViewerOnly()
  mine(@CurrentUser() user: SessionUser): Promise<DeviceView[]> {
    return this.devices.listFor(user.username);
  }

  @Delete('user/devices/:id')
  @ViewerOnly()
  revokeMine(@CurrentUser() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<DeviceView> {
    return this.devices.revoke(id, user.username, user.username);
  }

  @Get('admin/devices')
  @AdminOnly()
  all(): Promise<DeviceView[]> {
    return this.devices.listAll();
  }

  @Delete('admin/devices/:id')
  @AdminOnly()
  revokeAny(@CurrentUser() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<DeviceView> {
    return this.devices.revoke(id, `admin:${user.username}`, null);
  }
}

/**
 * The public read API for devices and overlays: `/api/public/v1/current`, `/queue`, `/events`
 * with a device key; `/link` trades a dashboard code for a key (no session, so no CSRF check:
 * the code is the credential).
 */
@Controller('api/public/v1')
@ApiBearerAuth('device')
export class PublicApiController {
  /** Link-code guesses, counted by every instance together (in Redis when there are several). */
  private readonly linkLimiter: SharedLimit;

  constructor(
    private readonly devices: DevicesService,
    private readonly publicQueue: PublicQueueService,
    private readonly schedules: SchedulesService,
    private readonly clock: Clock,
    limits: RateLimits,
  ) {
    this.linkLimiter = limits.create('device-link', LINK_ATTEMPTS_PER_MINUTE, 60_000);
  }

  @Post('link')
  @SkipCsrf()
  @HttpCode(200)
  async link(
    @Body() body: LinkDeviceDto,
    @Req() req: Request,
  ): Promise<{ api_key: string; device: DeviceView }> {
    // req.ip believes X-Forwarded-For only from trusted_proxies
    const verdict = await this.linkLimiter.hit(req.ip ?? 'unknown', this.clock.nowMs());
    if (!verdict.allowed) {
      throw new RateLimitedException(
        `Too many link attempts: try again in ${verdict.retryAfterSec} s`,
        verdict.retryAfterSec,
      );
    }
    return this.devices.link(body.code, body.name);
  }

  @Get('current')
  @UseGuards(DeviceKeyGuard)
  async current(): Promise<{ now_playing: PublicCurrent | null; updated_at: string; stale: boolean }> {
    const { now_playing, updated_at, stale } = await this.publicQueue.view();
    return { now_playing, updated_at, stale };
  }

  @Get('queue')
  @UseGuards(DeviceKeyGuard)
  async queue(): Promise<{ items: PublicQueueItem[]; updated_at: string; stale: boolean }> {
    const { items, updated_at, stale } = await this.publicQueue.view();
    return { items, updated_at, stale };
  }

  @Get('events')
  @UseGuards(DeviceKeyGuard)
  async events(): Promise<{ events: PublicEvent[] }> {
    return { events: publicEvents(await this.schedules.list(), this.clock.nowMs()) };
  }
}
