import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /admin/queue/add`; `mode` is checked by the service (400 `invalid mode`). */
export class AdminQueueAddDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  friendly_token?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  mode?: string;
}
