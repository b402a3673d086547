import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { LedgerQueryDto } from './dto/ledger-query.dto';
import { EconomyService } from './economy.service';
import { type Ledger, type OpenSpendView, ledgerPage } from './ledger.rules';

/** `GET /admin/economy/ledger`: spent = refunded + delivered + in flight, per reason and state. */
@Controller('admin/economy')
@AdminOnly()
export class LedgerController {
  constructor(private readonly economy: EconomyService) {}

  /** Every viewer's, or one viewer's with `?user=`. */
  @Get('ledger')
  ledger(@Query() query: LedgerQueryDto): Promise<Ledger & { open: OpenSpendView[] }> {
    return this.economy.ledger(query.user || undefined);
  }

  /** The same, as a page for people (linked from /admin); `?user=` shows one viewer. */
  @ApiExcludeEndpoint()
  @Get('ledger/page')
  @Render('admin/ledger')
  async page(@Query() query: LedgerQueryDto): Promise<Record<string, unknown>> {
    const user = query.user || null;
    return {
      title: user ? `Ledger: ${user}` : 'Ledger',
      ...ledgerPage(await this.economy.ledger(user ?? undefined), user),
    };
  }
}
