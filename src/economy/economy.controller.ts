import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { CurrentUser, ViewerOnly } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { PageQueryDto } from './dto/page-query.dto';
import { EconomyService } from './economy.service';

/** The viewer's balance, transactions and dashboard. */
@Controller('user')
@ViewerOnly()
export class EconomyController {
  constructor(private readonly economy: EconomyService) {}

  @Get('balance')
  balance(@CurrentUser() user: SessionUser): ReturnType<EconomyService['balance']> {
    return this.economy.balance(user.username);
  }

  @Get('transactions')
  transactions(
    @CurrentUser() user: SessionUser,
    @Query() query: PageQueryDto,
  ): ReturnType<EconomyService['transactions']> {
    return this.economy.transactions(user.username, query.limit, query.offset);
  }

  @ApiExcludeEndpoint()
  @Get('dashboard')
  @Render('user/dashboard')
  async dashboard(@CurrentUser() user: SessionUser): Promise<Record<string, unknown>> {
    return {
      title: 'Dashboard',
      username: user.username,
      rank: user.rank,
      scripts: ['dashboard.js'],
      ...(await this.economy.dashboard(user.username)),
    };
  }
}

/** `GET /queue/history`: the viewer's paid (and admin) inserts, newest first, with their fate. */
@Controller('queue')
@ViewerOnly()
export class QueueHistoryController {
  constructor(private readonly economy: EconomyService) {}

  @Get('history')
  history(
    @CurrentUser() user: SessionUser,
    @Query() query: PageQueryDto,
  ): ReturnType<EconomyService['historyPage']> {
    return this.economy.historyPage(user.username, query.limit, query.offset);
  }
}
