import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { type CatalogSort, SORTS } from '../catalog.rules';

/** Query strings arrive as text: digits → number, anything else stays and fails @IsInt. */
function toInt({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
}

/** `1`/`true`/`on` → true, `0`/`false`/`off`/empty → false, anything else fails @IsBoolean. */
function toBool({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(v)) return true;
  if (['0', 'false', 'off', 'no', ''].includes(v)) return false;
  return value;
}

const PAGE_MESSAGE = 'page must be a positive integer';

/** `GET /catalog/browse` (PRODUCT.md §2.1/§2.3). An unknown `sort` falls back to `default`. */
export class BrowseQueryDto {
  @IsOptional() @IsString() @MaxLength(200) category?: string;
  @IsOptional() @IsString() @MaxLength(200) tag?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: PAGE_MESSAGE })
  @Min(1, { message: PAGE_MESSAGE })
  @Max(100_000, { message: 'page must not be greater than 100000' })
  page?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'show_hidden must be 0 or 1' })
  show_hidden?: boolean;

  /** Browse keeps 0.10.0's leniency: unknown keys mean `default`. */
  @IsOptional() @IsString() @MaxLength(50) sort?: string;
}

/** `GET /catalog/search`: like browse plus `q`; an unknown `sort` is a 400 here. */
export class SearchQueryDto {
  /** Blank → 400 "Query required" (checked by the service, so pages can redirect instead). */
  @IsOptional() @IsString({ message: 'q must be a single string' }) @MaxLength(2000) q?: string;
  @IsOptional() @IsString() @MaxLength(200) category?: string;
  @IsOptional() @IsString() @MaxLength(200) tag?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: PAGE_MESSAGE })
  @Min(1, { message: PAGE_MESSAGE })
  @Max(100_000, { message: 'page must not be greater than 100000' })
  page?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'show_hidden must be 0 or 1' })
  show_hidden?: boolean;

  @IsOptional()
  @IsIn(SORTS, { message: `sort must be one of: ${SORTS.join(', ')}` })
  sort?: CatalogSort;
}
