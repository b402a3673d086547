import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BrowseQueryDto, SearchQueryDto } from './catalog-query.dto';

function check<T extends object>(
  cls: new () => T,
  raw: Record<string, unknown>,
): { value: T; errors: string[] } {
  const value = plainToInstance(cls, raw);
  const errors = validateSync(value, { whitelist: true }).flatMap((e) => Object.values(e.constraints ?? {}));
  return { value, errors };
}

describe('BrowseQueryDto', () => {
  it('turns page and show_hidden strings into values', () => {
    const { value, errors } = check(BrowseQueryDto, { page: '3', show_hidden: '1', sort: 'whatever' });
    expect(errors).toEqual([]);
    expect(value.page).toBe(3);
    expect(value.show_hidden).toBe(true);
  });

  it.each(['-1', 'abc', '0', '1.5', '99999999999'])('refuses page=%s', (page) => {
    expect(check(BrowseQueryDto, { page }).errors.length).toBeGreaterThan(0);
  });

  it('refuses repeated keys (arrays)', () => {
    expect(check(BrowseQueryDto, { category: ['a', 'b'] }).errors.length).toBeGreaterThan(0);
    expect(check(BrowseQueryDto, { page: ['1', '2'] }).errors.length).toBeGreaterThan(0);
  });
});

describe('SearchQueryDto', () => {
  it('accepts the five sorts only', () => {
    expect(check(SearchQueryDto, { q: 'x', sort: 'newest' }).errors).toEqual([]);
    expect(check(SearchQueryDto, { q: 'x', sort: 'random' }).errors).toEqual([
      'sort must be one of: default, title_asc, title_desc, newest, oldest',
    ]);
  });

  it('accepts a 1,000-character query', () => {
    expect(check(SearchQueryDto, { q: '('.repeat(1000) }).errors).toEqual([]);
  });
});
