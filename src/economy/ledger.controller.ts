import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { EconomyService } from './economy.service';
import { type Ledger, type OpenSpendView, ledgerPage } from './ledger.rules';

/** `GET /admin/economy/ledger`: spent = refunded + delivered + in flight, per reason and state. */
@Controller('admin/economy')
@AdminOnly()
export class LedgerController {
  constructor(private readonly economy: EconomyService) {}

  @Get('ledger')
  ledger(): Promise<Ledger & { open: OpenSpendView[] }> {
    return this.economy.ledger();
  }

  /** The same, as a page for people (linked from /admin). */
  @ApiExcludeEndpoint()
  @Get('ledger/page')
  @Render('admin/ledger')
  async page(): Promise<Record<string, unknown>> {
    return { title: 'Ledger', ...ledgerPage(await this.economy.ledger()) };
  }
}
