import { OptionalText } from '../../common/validation';

/** `GET /admin/economy/ledger[/page]?user=`: one viewer's ledger. */
export class LedgerQueryDto {
  @OptionalText(100, 'user must be a CyTube user name') user?: string;
}
