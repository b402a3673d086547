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
import { AdminOnly, CurrentUser } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { wantsHtml } from '../common/http/request-kind';
import { PROMO_TYPES } from '../config/app-config';
import {
  AppendDto,
  CreatePlaylistDto,
  ParseTextDto,
  ReplaceItemsDto,
  UpdatePlaylistDto,
} from './dto/playlist.dto';
import {
  type AppendResult,
  type ImportResult,
  PlaylistsService,
  type PlaylistWithItems,
} from './playlists.service';
import type { TextImportResult } from './text-import.rules';

/**
 * Saved playlists and the Admin Playlists page (§3 page 7): `GET
 * /admin/playlists` renders the page for a browser and lists the playlists as JSON otherwise.
 */
@Controller('admin/playlists')
@AdminOnly()
export class PlaylistsController {
  constructor(private readonly playlists: PlaylistsService) {}

  /** The Admin Playlists page for a browser; fetch calls fall through to the JSON list. */
  @Get()
  @ApiExcludeEndpoint()
  page(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): void {
    if (!wantsHtml(req)) return next();
    res.render('admin/playlists', {
      title: 'Playlists',
      scripts: ['admin-playlists.js'],
      promo_types: PROMO_TYPES,
    });
  }

  /** Every saved playlist with its item count. */
  @Get()
  list(): ReturnType<PlaylistsService['list']> {
    return this.playlists.list();
  }

  @Post()
  @HttpCode(200)
  create(@CurrentUser() user: SessionUser, @Body() body: CreatePlaylistDto): Promise<{ id: number }> {
    return this.playlists.create(user.username, body);
  }

  @Post('parse-text')
  @HttpCode(200)
  parseText(@Body() body: ParseTextDto): Promise<TextImportResult> {
    return this.playlists.parseText(body.text);
  }

  @Post('recent/append')
  @HttpCode(200)
  appendRecent(@CurrentUser() user: SessionUser, @Body() body: AppendDto): Promise<AppendResult> {
    return this.playlists.appendRecent(user.username, body.friendly_token);
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<PlaylistWithItems> {
    return this.playlists.getWithItems(id);
  }

  @Put(':id')
  update(@Param('id', ParseIntPipe) id: number, @Body() body: UpdatePlaylistDto): Promise<{ success: true }> {
    return this.playlists.update(id, body);
  }

  @Delete(':id')
  remove(@Param('id', ParseIntPipe) id: number): Promise<{ success: true }> {
    return this.playlists.remove(id);
  }

  @Put(':id/items')
  replaceItems(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: ReplaceItemsDto,
  ): Promise<{ success: true; count: number }> {
    return this.playlists.replaceItems(id, body.items);
  }

  @Post(':id/append')
  @HttpCode(200)
  append(@Param('id', ParseIntPipe) id: number, @Body() body: AppendDto): Promise<AppendResult> {
    return this.playlists.append(id, body.friendly_token);
  }

  @Post(':id/import')
  @HttpCode(200)
  importToLive(@Param('id', ParseIntPipe) id: number): Promise<ImportResult> {
    return this.playlists.importToLive(id);
  }
}
