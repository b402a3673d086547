import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AdminOnly, CurrentUser } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { CatalogAdminService, type HideResult } from './catalog-admin.service';
import { type SyncLogEntity } from './entities/sync-log.entity';

/**
 * Admin catalog actions and the catalog sync controls that the old service
 * listed under `/admin/queue` (§2.6: sync-now, sync-logs).
 */
@Controller('admin')
@AdminOnly()
export class CatalogAdminController {
  constructor(private readonly admin: CatalogAdminService) {}

  @Post('catalog/:token/hide')
  @HttpCode(200)
  hide(@Param('token') token: string): Promise<HideResult> {
    return this.admin.setHidden(token, true);
  }

  @Post('catalog/:token/unhide')
  @HttpCode(200)
  unhide(@Param('token') token: string): Promise<HideResult> {
    return this.admin.setHidden(token, false);
  }

  @Post('queue/sync-now')
  @HttpCode(200)
  syncNow(@CurrentUser() user: SessionUser): Promise<{ success: boolean; message: string }> {
    return this.admin.syncNow(user.username);
  }

  @Get('queue/sync-logs')
  syncLogs(): Promise<SyncLogEntity[]> {
    return this.admin.syncLogs(10);
  }
}
