import { FriendlyToken, OptionalText } from '../../common/validation';

/** `POST /admin/queue/add`; `mode` is checked by the service (400 `invalid mode`). */
export class AdminQueueAddDto {
  @FriendlyToken() friendly_token?: string;
  @OptionalText(32) mode?: string;
}
