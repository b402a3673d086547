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

/** Messages name the fields as the schedules page does. */
const M = {
  playlist: { message: 'Playlist: choose one of the saved playlists' },
  label: { message: 'Label is required (at most 200 characters)' },
  fireAt: { message: 'Fire at is required (a date and time)' },
  recurring: { message: 'Repeats must be on or off' },
  rrule: { message: 'The repeat rule must be text of at most 500 characters' },
  lock: { message: 'Pre-fire lock must be a whole number of minutes from 0 to 1440' },
  fallback: { message: 'Fallback playlist: choose one of the saved playlists, or none' },
  expires: { message: 'Immutability expiry must be a date and time' },
  active: { message: 'Active must be on or off' },
};

/** `POST /admin/schedules`. Times are ISO 8601; a time without a zone is UTC. */
export class CreateScheduleDto {
  @IsInt(M.playlist) @Min(1, M.playlist) playlist_id!: number;
  @IsString(M.label) @IsNotEmpty(M.label) @MaxLength(200, M.label) label!: string;
  @IsString(M.fireAt) @IsNotEmpty(M.fireAt) @MaxLength(64, M.fireAt) fire_at!: string;
  @Defined() @IsBoolean(M.recurring) is_recurring?: boolean;
  @IsOptional() @IsString(M.rrule) @MaxLength(500, M.rrule) rrule?: string | null;
  @Defined() @IsInt(M.lock) @Min(0, M.lock) @Max(1440, M.lock) pre_fire_lock_minutes?: number;
  @IsOptional() @IsInt(M.fallback) @Min(1, M.fallback) fallback_playlist_id?: number | null;
  @IsOptional() @IsString(M.expires) @MaxLength(64, M.expires) immutability_expires_at?: string | null;
}

/**
 * `PUT /admin/schedules/:id`: a whitelisted partial update (DEFECT fixed: the old route wrote any
 * body key into the row). Unknown keys are stripped by the global ValidationPipe.
 */
export class UpdateScheduleDto {
  @Defined() @IsInt(M.playlist) @Min(1, M.playlist) playlist_id?: number;
  @Defined() @IsString(M.label) @IsNotEmpty(M.label) @MaxLength(200, M.label) label?: string;
  @Defined() @IsString(M.fireAt) @IsNotEmpty(M.fireAt) @MaxLength(64, M.fireAt) fire_at?: string;
  @Defined() @IsBoolean(M.recurring) is_recurring?: boolean;
  @IsOptional() @IsString(M.rrule) @MaxLength(500, M.rrule) rrule?: string | null;
  @Defined() @IsInt(M.lock) @Min(0, M.lock) @Max(1440, M.lock) pre_fire_lock_minutes?: number;
  @Defined() @IsBoolean(M.active) is_active?: boolean;
  @IsOptional() @IsInt(M.fallback) @Min(1, M.fallback) fallback_playlist_id?: number | null;
  @IsOptional() @IsString(M.expires) @MaxLength(64, M.expires) immutability_expires_at?: string | null;
}
