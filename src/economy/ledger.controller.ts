import { Controller, Get } from '@nestjs/common';
import { AdminOnly } from '../auth/auth.decorators';
import { EconomyService } from './economy.service';
import type { Ledger, OpenSpendView } from './ledger.rules';

/** `GET /admin/economy/ledger`: spent = refunded + delivered + in flight, per reason and state. */
@Controller('admin/economy')
@AdminOnly()
export class LedgerController {
  constructor(private readonly economy: EconomyService) {}

  @Get('ledger')
  ledger(): Promise<Ledger & { open: OpenSpendView[] }> {
    return this.economy.ledger();
  }
}
