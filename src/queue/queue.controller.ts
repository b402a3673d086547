import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly, ViewerOnly } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { QueueShadowService } from './queue-shadow.service';
import type { QueueState } from './queue-state.enrich';

/** The live queue: its JSON state, the viewer page, the admin dashboard and queue management pages. */
@Controller()
export class QueueController {
  constructor(
    private readonly shadow: QueueShadowService,
    private readonly config: AppConfig,
  ) {}

  /** `GET /queue/state`: the enriched state. */
  @Get('queue/state')
  @ViewerOnly()
  state(): Promise<QueueState> {
    return this.shadow.getEnrichedState();
  }

  /** The live queue page; data comes from /queue/state, then Socket.IO. */
  @ApiExcludeEndpoint()
  @Get('queue')
  @ViewerOnly()
  page(@Res() res: Response): void {
    res.render('queue/index', {
      title: 'Queue',
      scripts: ['queue.js'],
      bot_names: this.config.bot_names.join(','),
    });
  }

  /** Admin dashboard: links, queue status, live admin events. */
  @ApiExcludeEndpoint()
  @Get('admin')
  @AdminOnly()
  adminDashboard(@Res() res: Response): void {
    const np = this.shadow.nowPlaying();
    const uid = this.shadow.nowPlayingUid();
    res.render('admin/index', {
      title: 'Admin',
      scripts: ['admin.js'],
      queue_count: this.shadow.size(),
      now_playing_title: (uid !== null ? this.shadow.get(uid)?.title : null) || np?.title || null,
    });
  }

  /** Live queue management. */
  @ApiExcludeEndpoint()
  @Get('admin/queue-mgmt')
  @AdminOnly()
  queueManagement(@Res() res: Response): void {
    res.render('admin/queue_mgmt', {
      title: 'Queue Management',
      scripts: ['admin-queue.js'],
    });
  }
}
