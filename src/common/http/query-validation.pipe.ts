import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** Distinct query strings kept per DTO class (a catalog's pages, sorts and filters in use). */
const KEPT_PER_CLASS = 500;

/** A copy a handler may change without changing the kept one (DTO fields are flat or lists). */
function copyOf<T extends object>(dto: T): T {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(dto) as object) as T, dto);
  for (const [key, value] of Object.entries(copy)) {
    if (Array.isArray(value)) (copy as Record<string, unknown>)[key] = [...(value as unknown[])];
  }
  return copy;
}

/**
 * The global ValidationPipe, remembering what a query string validated to. A query DTO is a pure
 * function of the query string (text in, typed fields out, no clock or database), and the same
 * few strings (`?page=2`) come from every viewer, so transforming and validating each again is
 * work thrown away. Only answers that passed are kept: a bad query is checked, and refused,
 * every time. Bodies and route parameters are validated as usual.
 */
export class QueryValidationPipe extends ValidationPipe {
  private readonly kept = new WeakMap<object, LRUCache<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (
      metadata.type !== 'query' ||
      metadata.data ||
      !metatype ||
      typeof value !== 'object' ||
      value === null
    ) {
      return super.transform(value, metadata);
    }
    let perClass = this.kept.get(metatype);
    if (!perClass) {
      perClass = new LRUCache<string, object>({ max: KEPT_PER_CLASS });
      this.kept.set(metatype, perClass);
    }
    // Before the pipe runs: it strips keys from the value it is given.
    const key = JSON.stringify(value);
    const hit = perClass.get(key);
    if (hit) return copyOf(hit);
    const dto = (await super.transform(value, metadata)) as unknown;
    if (typeof dto !== 'object' || dto === null) return dto;
    perClass.set(key, dto);
    return copyOf(dto);
  }
}
