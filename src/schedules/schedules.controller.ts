import { ApiExcludeEndpoint } from '@nestjs/swagger';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Next,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AdminOnly, CurrentUser, ViewerOnly } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { wantsHtml } from '../common/http/request-kind';
import { CreateScheduleDto, UpdateScheduleDto } from './dto/schedule.dto';
import type { FireResult } from './schedule-fire.service';
import { SchedulesService } from './schedules.service';

/** Admin schedules and the page (§3 page 8). Thin: the service does the work. */
@Controller('admin/schedules')
@AdminOnly()
export class AdminSchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** The Admin Schedules page for a browser; fetch calls fall through to the JSON list. */
  @Get()
  @ApiExcludeEndpoint()
  async page(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): Promise<void> {
    if (!wantsHtml(req)) return next();
    res.render('admin/schedules', {
      title: 'Scheduled Events',
      scripts: ['admin-schedules.js'],
      playlists: await this.schedules.playlistOptions(),
    });
  }

  /** Every schedule by fire_at. */
  @Get()
  list(): ReturnType<SchedulesService['list']> {
    return this.schedules.list();
  }

  /** The next 7 days: every fire (recurrences expanded) with its estimated end, and which overlap. */
  @Get('guide')
  guide(): ReturnType<SchedulesService['guide']> {
    return this.schedules.guide(7);
  }

  @Get('active')
  active(): ReturnType<SchedulesService['active']> {
    return this.schedules.active();
  }

  @Get('next')
  async next(): Promise<Awaited<ReturnType<SchedulesService['next']>> | Record<string, never>> {
    return (await this.schedules.next()) ?? {};
  }

  @Get('lock-status')
  lockStatus(): ReturnType<SchedulesService['lockStatus']> {
    return this.schedules.lockStatus();
  }

  @Get('playlists')
  playlists(): ReturnType<SchedulesService['playlistOptions']> {
    return this.schedules.playlistOptions();
  }

  @Post('unlock')
  @HttpCode(200)
  unlock(): ReturnType<SchedulesService['unlock']> {
    return this.schedules.unlock();
  }

  @Post('clear-active')
  @HttpCode(200)
  clearActive(): ReturnType<SchedulesService['clearActive']> {
    return this.schedules.clearActive();
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): ReturnType<SchedulesService['get']> {
    return this.schedules.get(id);
  }

  @Post()
  create(@CurrentUser() user: SessionUser, @Body() body: CreateScheduleDto): Promise<{ id: number }> {
    return this.schedules.create(body, user.username);
  }

  @Put(':id')
  update(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: UpdateScheduleDto,
  ): ReturnType<SchedulesService['update']> {
    return this.schedules.update(id, body);
  }

  @Delete(':id')
  remove(@Param('id', ParseIntPipe) id: number): ReturnType<SchedulesService['remove']> {
    return this.schedules.remove(id);
  }

  @Post(':id/fire')
  @HttpCode(200)
  fire(@Param('id', ParseIntPipe) id: number): Promise<FireResult> {
    return this.schedules.fireNow(id);
  }
}

/** `GET /queue/next-schedule` for the queue page sidebar. */
@Controller('queue')
@ViewerOnly()
export class NextScheduleController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get('next-schedule')
  next(): ReturnType<SchedulesService['nextForViewers']> {
    return this.schedules.nextForViewers();
  }
}
