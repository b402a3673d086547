import { IsString, Matches } from 'class-validator';
import { FriendlyToken, OptionalText } from '../../common/validation';

/** `POST /queue/add` and `/queue/playnext`. A blank token is answered 400 `friendly_token required`. */
export class PayAddDto {
  @FriendlyToken() friendly_token?: string;

  /** Passed through to the economy and stored; forced to playnext on /playnext. */
  @OptionalText(32) tier?: string;

  /** The browser's idempotency key (one uuid per receipt modal): a double click spends once. */
  @OptionalText(100) client_key?: string;
}

/** `GET /queue/preview?friendly_token&tier`. */
export class PayPreviewQueryDto {
  @FriendlyToken() friendly_token?: string;
  @OptionalText(32) tier?: string;
}

/** `GET /queue/tiles?tokens=a,b,c`: up to 60 catalog tokens, comma-separated. */
export class TileStatusQueryDto {
  @IsString({ message: 'tokens must be a comma-separated list of catalog tokens' })
  @Matches(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,59}$/, {
    message: 'tokens must be a comma-separated list of up to 60 catalog tokens',
  })
  tokens!: string;
}
