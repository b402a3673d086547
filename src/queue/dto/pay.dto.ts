import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /queue/add` and `/queue/playnext`. A blank token is answered 400 `friendly_token required`. */
export class PayAddDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  friendly_token?: string;

  /** Passed through to the economy and stored (BEHAVIOUR.md §3.1); forced to playnext on /playnext. */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  tier?: string;

  /** The browser's idempotency key (one uuid per receipt modal): a double click spends once. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  client_key?: string;
}

/** `GET /queue/preview?friendly_token&tier`. */
export class PayPreviewQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  friendly_token?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  tier?: string;
}
