import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { QueryValidationPipe } from './query-validation.pipe';

let conversions = 0;

class PageQuery {
  @IsOptional()
  @Transform(({ value }) => {
    conversions++;
    return Number(value);
  })
  @IsInt()
  @Min(1)
  @Max(100)
  page?: number;

  @IsOptional() @IsString() sort?: string;
}

class OtherQuery {
  @IsOptional() @IsString() page?: string;
}

const options = { whitelist: true, transform: true, transformOptions: { enableImplicitConversion: false } };
const asQuery = (metatype: new () => object) => ({ type: 'query' as const, metatype, data: undefined });

describe('QueryValidationPipe', () => {
  beforeEach(() => {
    conversions = 0;
  });

  it('answers a query string seen before as the plain pipe did, without converting it again', async () => {
    const pipe = new QueryValidationPipe(options);
    const plain = await new ValidationPipe(options).transform(
      { page: '2', sort: 'new', junk: 'x' },
      asQuery(PageQuery),
    );
    const first = await pipe.transform({ page: '2', sort: 'new', junk: 'x' }, asQuery(PageQuery));
    const second = await pipe.transform({ page: '2', sort: 'new', junk: 'x' }, asQuery(PageQuery));
    expect(first).toEqual(plain);
    expect(first).toBeInstanceOf(PageQuery);
    expect(second).toEqual(plain);
    expect(second).toBeInstanceOf(PageQuery);
    expect(conversions).toBe(2); // the plain pipe's and the first ask's
  });

  it('gives every asker its own copy', async () => {
    const pipe = new QueryValidationPipe(options);
    const first = (await pipe.transform({ page: '3' }, asQuery(PageQuery))) as PageQuery;
    first.page = 99;
    const second = (await pipe.transform({ page: '3' }, asQuery(PageQuery))) as PageQuery;
    expect(second.page).toBe(3);
    expect(second).not.toBe(first);
  });

  it('refuses a bad query every time it comes', async () => {
    const pipe = new QueryValidationPipe(options);
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ page: '0' }, asQuery(PageQuery))).rejects.toBeInstanceOf(
        BadRequestException,
      );
    }
    expect(conversions).toBe(2);
  });

  it('keeps each DTO class apart, and bodies and single parameters out', async () => {
    const pipe = new QueryValidationPipe(options);
    expect(await pipe.transform({ page: '4' }, asQuery(PageQuery))).toEqual({ page: 4 });
    expect(await pipe.transform({ page: '4' }, asQuery(OtherQuery))).toEqual({ page: '4' });
    await pipe.transform({ page: '5' }, { type: 'body', metatype: PageQuery, data: undefined });
    await pipe.transform({ page: '5' }, { type: 'body', metatype: PageQuery, data: undefined });
    expect(conversions).toBe(3);
    expect(await pipe.transform('7', { type: 'query', metatype: String, data: 'page' })).toBe('7');
  });
});
