import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { OptionalText, QueryBoolean, QueryInt, QueryPage } from './validation';

class Probe {
  @QueryInt('limit', 1, 100) limit: number = 20;
  @QueryPage() page?: number;
  @QueryBoolean('flag') flag?: boolean;
  @OptionalText(5) name?: string;
}

function check(query: Record<string, unknown>): { value: Probe; errors: string[] } {
  const value = plainToInstance(Probe, query);
  const errors = validateSync(value).flatMap((e) => Object.values(e.constraints ?? {}));
  return { value, errors };
}

describe('composite validators', () => {
  it('reads integers and booleans from query strings', () => {
    const { value, errors } = check({ limit: '50', page: '3', flag: 'on' });
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ limit: 50, page: 3, flag: true });
    expect(check({ flag: '0' }).value.flag).toBe(false);
  });

  it('keeps defaults when a parameter is absent', () => {
    expect(check({}).value.limit).toBe(20);
    expect(check({}).errors).toEqual([]);
  });

  it('refuses bad numbers, out-of-range values, odd booleans and long text with clear messages', () => {
    expect(check({ limit: 'abc' }).errors).toContain('limit must be an integer from 1 to 100');
    expect(check({ limit: '1.5' }).errors).toContain('limit must be an integer from 1 to 100');
    expect(check({ limit: '101' }).errors).toContain('limit must be an integer from 1 to 100');
    expect(check({ page: '-1' }).errors).toContain('page must be a positive integer');
    expect(check({ page: '0' }).errors).toContain('page must be a positive integer');
    expect(check({ flag: 'maybe' }).errors).toContain('flag must be 0 or 1');
    expect(check({ name: 'toolong' }).errors).toEqual(['name must be shorter than or equal to 5 characters']);
  });
});
