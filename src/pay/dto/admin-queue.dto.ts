import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import { FriendlyToken, OptionalText } from '../../common/validation';

/** `POST /admin/queue/add`; `mode` is checked by the service (400 `invalid mode`). */
export class AdminQueueAddDto {
  @FriendlyToken() friendly_token?: string;
  @OptionalText(32) mode?: string;
}

/** `POST /admin/queue/clear`: `keep_loop` keeps the channel's permanent items. */
export class AdminQueueClearDto {
  @IsOptional() @IsBoolean({ message: 'keep_loop must be true or false' }) keep_loop?: boolean;
}

/** `POST /admin/queue/{uid}/jump`: `refund_skipped` refunds and removes the paid items it goes past. */
export class AdminQueueJumpDto {
  @IsOptional() @IsBoolean({ message: 'refund_skipped must be true or false' }) refund_skipped?: boolean;
}

/** `POST /admin/queue/{uid}/move`: put the item right after `after_uid`. */
export class AdminQueueMoveDto {
  @IsInt({ message: 'after_uid must be the uid of an item in the queue' })
  @Min(0, { message: 'after_uid must be the uid of an item in the queue' })
  after_uid!: number;
}
