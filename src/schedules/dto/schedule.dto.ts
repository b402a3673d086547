import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

/** Optional, but null is not a value (the column is NOT NULL): null fails validation. */
const Defined = (): PropertyDecorator => ValidateIf((_o, v) => v !== undefined);

/** `POST /admin/schedules`. Times are ISO 8601; a time without a zone is UTC. */
export class CreateScheduleDto {
  @IsInt() @Min(1) playlist_id!: number;
  @IsString() @IsNotEmpty() @MaxLength(200) label!: string;
  @IsString() @IsNotEmpty() @MaxLength(64) fire_at!: string;
  @Defined() @IsBoolean() is_recurring?: boolean;
  @IsOptional() @IsString() @MaxLength(500) rrule?: string | null;
  @Defined() @IsInt() @Min(0) @Max(1440) pre_fire_lock_minutes?: number;
  @IsOptional() @IsInt() @Min(1) fallback_playlist_id?: number | null;
  @IsOptional() @IsString() @MaxLength(64) immutability_expires_at?: string | null;
}

/**
 * `PUT /admin/schedules/:id`: a whitelisted partial update (DEFECT fixed: the old route wrote any
 * body key into the row). Unknown keys are stripped by the global ValidationPipe.
 */
export class UpdateScheduleDto {
  @Defined() @IsInt() @Min(1) playlist_id?: number;
  @Defined() @IsString() @IsNotEmpty() @MaxLength(200) label?: string;
  @Defined() @IsString() @IsNotEmpty() @MaxLength(64) fire_at?: string;
  @Defined() @IsBoolean() is_recurring?: boolean;
  @IsOptional() @IsString() @MaxLength(500) rrule?: string | null;
  @Defined() @IsInt() @Min(0) @Max(1440) pre_fire_lock_minutes?: number;
  @Defined() @IsBoolean() is_active?: boolean;
  @IsOptional() @IsInt() @Min(1) fallback_playlist_id?: number | null;
  @IsOptional() @IsString() @MaxLength(64) immutability_expires_at?: string | null;
}
