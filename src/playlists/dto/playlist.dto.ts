import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PROMO_TYPES } from '../../config/app-config';
import { MEDIA_TYPES } from '../playlists.rules';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

const PROMO_MESSAGE = `promo_type must be null or one of: ${PROMO_TYPES.join(', ')}`;

/** `POST /admin/playlists`. */
export class CreatePlaylistDto {
  @Transform(trim)
  @IsString({ message: 'name is required' })
  @IsNotEmpty({ message: 'name is required' })
  @MaxLength(200)
  name!: string;

  @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @IsOptional() @IsBoolean() is_immutable?: boolean;
  @IsOptional() @IsIn(PROMO_TYPES, { message: PROMO_MESSAGE }) promo_type?: string | null;
}

/** `PUT /admin/playlists/:id`: only the keys given change (null clears description/promo_type). */
export class UpdatePlaylistDto {
  @Transform(trim)
  @ValidateIf((_o, v) => v !== undefined)
  @IsString({ message: 'name must be a non-empty string' })
  @IsNotEmpty({ message: 'name must be a non-empty string' })
  @MaxLength(200)
  name?: string;

  @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @ValidateIf((_o, v) => v !== undefined) @IsBoolean() is_immutable?: boolean;
  @IsOptional() @IsIn(PROMO_TYPES, { message: PROMO_MESSAGE }) promo_type?: string | null;
}

/** One saved playlist item (`cm` items carry the manifest URL, `yt` the video id). */
export class PlaylistItemDto {
  @IsIn(MEDIA_TYPES, { message: `media_type must be one of: ${MEDIA_TYPES.join(', ')}` })
  media_type!: string;

  @IsString({ message: 'media_id is required' })
  @IsNotEmpty({ message: 'media_id is required' })
  @MaxLength(2000)
  media_id!: string;

  @IsOptional() @IsString() @MaxLength(500) title?: string | null;
  @IsOptional() @IsInt() @Min(0) @Max(10_000_000) duration_sec?: number | null;
}

/** `PUT /admin/playlists/:id/items`: the whole list, in order. */
export class ReplaceItemsDto {
  @IsArray({ message: 'items must be an array' })
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => PlaylistItemDto)
  items!: PlaylistItemDto[];
}

/** `POST /admin/playlists/:id/append` and `/recent/append`. */
export class AppendDto {
  @IsString({ message: 'friendly_token is required' })
  @IsNotEmpty({ message: 'friendly_token is required' })
  @MaxLength(200)
  friendly_token!: string;
}

/** `POST /admin/playlists/parse-text`. */
export class ParseTextDto {
  @IsString({ message: 'text is required' })
  @MaxLength(1_000_000)
  text!: string;
}
