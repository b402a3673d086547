import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * Composite class-validator decorators: one place for how query strings and
 * optional text are read, so DTOs stay flat and agree with each other.
 */

/** An optional string of at most `max` characters. */
export function OptionalText(max: number, message?: string): PropertyDecorator {
  return applyDecorators(IsOptional(), IsString(message ? { message } : {}), MaxLength(max));
}

/** A catalog friendly token (optional here: a blank one is answered by the service with its own 400). */
export const FriendlyToken = (): PropertyDecorator => OptionalText(200);

/** Query strings arrive as text: digits → number; anything else stays and fails @IsInt. */
export function toInt({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
}

/** `1`/`true`/`on`/`yes` → true, `0`/`false`/`off`/`no`/empty → false, anything else fails @IsBoolean. */
export function toBool({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(v)) return true;
  if (['0', 'false', 'off', 'no', ''].includes(v)) return false;
  return value;
}

/** An optional integer query parameter in [min, max]. */
export function QueryInt(name: string, min: number, max: number): PropertyDecorator {
  const range = `${name} must be an integer from ${min} to ${max}`;
  return applyDecorators(
    IsOptional(),
    Transform(toInt),
    IsInt({ message: range }),
    Min(min, { message: range }),
    Max(max, { message: range }),
  );
}

/** An optional boolean query parameter (1/0, true/false, on/off, yes/no). */
export function QueryBoolean(name: string): PropertyDecorator {
  return applyDecorators(IsOptional(), Transform(toBool), IsBoolean({ message: `${name} must be 0 or 1` }));
}

const PAGE_MESSAGE = 'page must be a positive integer';

/** An optional 1-based page number. */
export function QueryPage(maxPage = 100_000): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(toInt),
    IsInt({ message: PAGE_MESSAGE }),
    Min(1, { message: PAGE_MESSAGE }),
    Max(maxPage, { message: `page must not be greater than ${maxPage}` }),
  );
}
