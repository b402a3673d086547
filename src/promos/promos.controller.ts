import { Body, Controller, Delete, Get, Put, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly } from '../auth/auth.decorators';
import { PROMO_TYPES } from '../config/app-config';
import { PromoDirector, type PromoDecisionRecord, type PromoPreviewView } from './promo.director';
import { PromoPoolsService, type PromoPoolsView } from './promo-pools.service';
import { PromoSettingsService, type PromoSettingsView } from './promo-settings.service';

/** Admin promo settings, pools and recent decisions. */
@Controller('admin/promos')
@AdminOnly()
export class PromosController {
  constructor(
    private readonly settings: PromoSettingsService,
    private readonly pools: PromoPoolsService,
    private readonly director: PromoDirector,
  ) {}

  /** The page; its data comes from the JSON routes below. */
  @ApiExcludeEndpoint()
  @Get()
  page(@Res() res: Response): void {
    res.render('admin/promos', {
      title: 'Promos',
      scripts: ['admin-promos.js'],
      promo_types: PROMO_TYPES,
    });
  }

  @Get('config')
  config(): Promise<PromoSettingsView> {
    return this.settings.view();
  }

  /** Validated with the config file's classes, persisted, applied from the next tick. */
  @Put('config')
  update(@Body() body: Record<string, unknown>): Promise<PromoSettingsView> {
    return this.settings.update(body);
  }

  /** Back to the config file's `promos` block. */
  @Delete('config')
  reset(): Promise<PromoSettingsView> {
    return this.settings.reset();
  }

  /** Per type: the playlists that feed it and the clip count (pools of one type are unioned). */
  @Get('pools')
  async poolList(): Promise<{ types: PromoPoolsView['summary'] }> {
    return { types: (await this.pools.load()).summary };
  }

  /** The decision log, newest first: what was inserted, or why a due slot got nothing. */
  @Get('decisions')
  async decisions(): Promise<{ decisions: PromoDecisionRecord[] }> {
    return { decisions: await this.director.recentDecisions() };
  }

  /** The next decisions the director would make on the current queue, and the chances per type and pool. */
  @Get('preview')
  preview(): Promise<PromoPreviewView> {
    return this.director.preview();
  }
}
