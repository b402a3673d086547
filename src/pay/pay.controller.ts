import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CurrentUser, ViewerOnly } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { PayAddDto, PayPreviewQueryDto, TileStatusQueryDto } from './dto/pay.dto';
import { PayService, type PreviewView } from './pay.service';
import type { PaidInsertResult } from './pay-saga.service';
import type { TileStatus } from './tile-status.rules';
import { TileStatusService } from './tile-status.service';

/** Pay-to-play: preview, add (FIFO) and play-next. */
@Controller('queue')
@ViewerOnly()
export class PayController {
  constructor(
    private readonly pay: PayService,
    private readonly tiles: TileStatusService,
  ) {}

  /** For a page of catalog tiles: playing now / place in the queue / last played, and this viewer's price. */
  @Get('tiles')
  async tileStatus(
    @CurrentUser() user: SessionUser,
    @Query() query: TileStatusQueryDto,
  ): Promise<{ items: TileStatus[] }> {
    return { items: await this.tiles.forViewer(user.username, query.tokens.split(',')) };
  }

  @Get('preview')
  preview(@CurrentUser() user: SessionUser, @Query() query: PayPreviewQueryDto): Promise<PreviewView> {
    return this.pay.preview(user.username, query.friendly_token, query.tier || 'queue');
  }

  @Post('add')
  @HttpCode(200)
  add(@CurrentUser() user: SessionUser, @Body() body: PayAddDto): Promise<PaidInsertResult> {
    return this.pay.buy({
      username: user.username,
      friendly_token: body.friendly_token,
      tier: body.tier || 'queue',
      client_key: body.client_key || null,
    });
  }

  @Post('playnext')
  @HttpCode(200)
  playnext(@CurrentUser() user: SessionUser, @Body() body: PayAddDto): Promise<PaidInsertResult> {
    return this.pay.buy({
      username: user.username,
      friendly_token: body.friendly_token,
      tier: 'playnext',
      client_key: body.client_key || null,
    });
  }
}
