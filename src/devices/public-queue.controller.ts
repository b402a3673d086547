import { PublicQueueService, type PublicQueueView } from './public-queue.service';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RateLimitedException } from '../auth/auth.exceptions';
import { RateLimits, type SharedLimit } from '../cluster/rate-limits';
import { Clock } from '../common/clock';
import { byLine } from './public-api.rules';

/** Reads of the public queue per address and minute (the page refreshes every 15 s). */
const PUBLIC_READS_PER_MINUTE = 30;

/**
 * The queue anyone may see, with no login (a channel links it from chat, like a StreamElements
 * queue page): what plays now and what comes next, who asked for it, the tier in words and the
 * ETA. No balances, costs or ids beyond the playlist uid.
 */
@Controller('public')
export class PublicQueueController {
  /** Counted by every instance together (in Redis when there are several). */
  private readonly limiter: SharedLimit;

  constructor(
    private readonly publicQueue: PublicQueueService,
    private readonly clock: Clock,
    limits: RateLimits,
  ) {
    this.limiter = limits.create('public-queue', PUBLIC_READS_PER_MINUTE, 60_000);
  }

  @Get('queue')
  @ApiExcludeEndpoint()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const view = await this.view(req);
    res.render('public/queue', {
      title: 'Channel queue',
      scripts: ['public-queue.js'],
      now: view.now_playing && { ...view.now_playing, by: byLine(view.now_playing) },
      next: view.items.filter((i) => !i.is_now_playing && !i.is_promo).map((i) => ({ ...i, by: byLine(i) })),
      updated_at: view.updated_at,
      stale: view.stale,
    });
  }

  /** The same, as JSON, for the page's refresh. */
  @Get('queue.json')
  queue(@Req() req: Request): Promise<PublicQueueView> {
    return this.view(req);
  }

  private async view(req: Request): Promise<PublicQueueView> {
    const verdict = await this.limiter.hit(req.ip ?? 'unknown', this.clock.nowMs());
    if (!verdict.allowed) {
      throw new RateLimitedException(
        `Too many requests: try again in ${verdict.retryAfterSec} s`,
        verdict.retryAfterSec,
      );
    }
    return this.publicQueue.view();
  }
}
