import { Module } from '@nestjs/common';
import { EconomyController, QueueHistoryController } from './economy.controller';
import { EconomyService } from './economy.service';
import { LedgerController } from './ledger.controller';
import { QueueHistory } from './queue-history.service';
import { RefundService } from './refund.service';
import { SpendJournal } from './spend-journal.service';
import { SpendSettlementService } from './spend-settlement.service';

/**
 * Money: the pay-to-play journal (`spend_requests`), refunds, queue history, the viewer's
 * balance/transactions/dashboard and the admin ledger. api-gate comes from the global KrytenModule.
 */
@Module({
  providers: [SpendJournal, QueueHistory, RefundService, SpendSettlementService, EconomyService],
  controllers: [EconomyController, QueueHistoryController, LedgerController],
  exports: [SpendJournal, QueueHistory, RefundService, SpendSettlementService, EconomyService],
})
export class EconomyModule {}
