import { Body, Controller, Delete, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { AdminOnly, CurrentUser } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { AdminQueueService } from './admin-queue.service';
import {
  AdminQueueAddDto,
  AdminQueueClearDto,
  AdminQueueJumpDto,
  AdminQueueMoveDto,
} from './dto/admin-queue.dto';

/** Admin live-queue routes. The page itself is the queue pages' job. */
@Controller('admin/queue')
@AdminOnly()
export class AdminQueueController {
  constructor(private readonly admin: AdminQueueService) {}

  @Post('add')
  @HttpCode(200)
  add(
    @CurrentUser() user: SessionUser,
    @Body() body: AdminQueueAddDto,
  ): ReturnType<AdminQueueService['add']> {
    return this.admin.add(user.username, body.friendly_token, body.mode);
  }

  @Post('clear')
  @HttpCode(200)
  clear(@Body() body: AdminQueueClearDto): ReturnType<AdminQueueService['clear']> {
    return this.admin.clear({ keepLoop: body.keep_loop === true });
  }

  @Delete(':uid')
  remove(@Param('uid', ParseIntPipe) uid: number): ReturnType<AdminQueueService['remove']> {
    return this.admin.remove(uid);
  }

  @Post(':uid/jump')
  @HttpCode(200)
  jump(
    @Param('uid', ParseIntPipe) uid: number,
    @Body() body: AdminQueueJumpDto,
  ): ReturnType<AdminQueueService['jump']> {
    return this.admin.jump(uid, { refundSkipped: body.refund_skipped === true });
  }

  /** Reorder: put the item right after another one (drag and drop, or "Move after…" on the page). */
  @Post(':uid/move')
  @HttpCode(200)
  move(
    @Param('uid', ParseIntPipe) uid: number,
    @Body() body: AdminQueueMoveDto,
  ): ReturnType<AdminQueueService['move']> {
    return this.admin.move(uid, body.after_uid);
  }
}
