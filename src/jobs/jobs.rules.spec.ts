import {
  failureMessage,
  type JobParamField,
  paramsFromBody,
  parseStoredJson,
  progressDelay,
  runSummary,
  validateParams,
} from './jobs.rules';
import { JOB_SCHEMAS } from './jobs.schemas';

const field = (f: Partial<JobParamField> & Pick<JobParamField, 'name' | 'type'>): JobParamField => ({
  label: f.name.toUpperCase(),
  ...f,
});

describe('validateParams', () => {
  it('an empty schema gives {} and drops unknown keys', () => {
    expect(validateParams([], { anything: 1 })).toEqual({ ok: true, params: {} });
    expect(validateParams([field({ name: 'a', type: 'int' })], { b: 2 })).toEqual({
      ok: true,
      params: { a: null },
    });
  });

  it('applies defaults for absent values: missing, null and ""', () => {
    const schema = [field({ name: 'n', type: 'int', default: 50 })];
    for (const raw of [{}, { n: null }, { n: '' }]) {
      expect(validateParams(schema, raw)).toEqual({ ok: true, params: { n: 50 } });
    }
  });

  it('enforces required ("<label> is required") and joins every error with "; "', () => {
    const schema = [
      field({ name: 'url', type: 'string', label: 'URL', required: true }),
      field({ name: 'n', type: 'int', label: 'Max videos' }),
      field({ name: 'q', type: 'enum', label: 'Quality', options: ['best', 'good', 'medium'] }),
    ];
    const check = validateParams(schema, { url: '', n: 'x', q: 'worst' });
    expect(check).toEqual({
      ok: false,
      errors: ['URL is required', 'Max videos is invalid', 'Quality must be one of [best, good, medium]'],
      message: 'URL is required; Max videos is invalid; Quality must be one of [best, good, medium]',
    });
  });

  it('int: numbers and digit strings, not fractions or words', () => {
    const schema = [field({ name: 'n', type: 'int' })];
    expect(validateParams(schema, { n: 7 })).toEqual({ ok: true, params: { n: 7 } });
    expect(validateParams(schema, { n: ' -12 ' })).toEqual({ ok: true, params: { n: -12 } });
    for (const bad of ['1.5', 1.5, 'ten', true, [1], { a: 1 }, '1e3', Number.NaN]) {
      expect(validateParams(schema, { n: bad })).toMatchObject({ ok: false, message: 'N is invalid' });
    }
  });

  it('float: numbers and numeric strings', () => {
    const schema = [field({ name: 'd', type: 'float' })];
    expect(validateParams(schema, { d: '0.25' })).toEqual({ ok: true, params: { d: 0.25 } });
    expect(validateParams(schema, { d: 3 })).toEqual({ ok: true, params: { d: 3 } });
    expect(validateParams(schema, { d: '.5' })).toEqual({ ok: true, params: { d: 0.5 } });
    expect(validateParams(schema, { d: 'fast' })).toMatchObject({ ok: false, message: 'D is invalid' });
    expect(validateParams(schema, { d: Number.POSITIVE_INFINITY })).toMatchObject({ ok: false });
  });

  it('bool: real booleans kept; 1/true/yes/on (any case, trimmed) are true, anything else false', () => {
    const schema = [field({ name: 'b', type: 'bool', default: false })];
    for (const yes of [true, 1, '1', 'true', 'TRUE', ' yes ', 'On']) {
      expect(validateParams(schema, { b: yes })).toEqual({ ok: true, params: { b: true } });
    }
    for (const no of [false, 0, 2, '0', 'false', 'no', 'off', 'maybe']) {
      expect(validateParams(schema, { b: no })).toEqual({ ok: true, params: { b: false } });
    }
    expect(validateParams(schema, { b: {} })).toMatchObject({ ok: false, message: 'B is invalid' });
  });

  it('enum: plain values or {value,label}; the value must be one of the options', () => {
    const plain = [field({ name: 's', type: 'enum', label: 'Section', options: ['all', 'friday'] })];
    expect(validateParams(plain, { s: 'friday' })).toEqual({ ok: true, params: { s: 'friday' } });
    expect(validateParams(plain, { s: 'Friday' })).toMatchObject({
      ok: false,
      message: 'Section must be one of [all, friday]',
    });
    const labelled = [
      field({
        name: 'n',
        type: 'enum',
        options: [
          { value: 1, label: 'One' },
          { value: 2, label: 'Two' },
        ],
      }),
    ];
    expect(validateParams(labelled, { n: '2' })).toEqual({ ok: true, params: { n: 2 } });
    expect(validateParams(labelled, { n: 3 })).toMatchObject({
      ok: false,
      message: 'N must be one of [1, 2]',
    });
    expect(validateParams(labelled, { n: { value: 1 } })).toMatchObject({ ok: false });
  });

  it('playlist: scalars pass through unchanged; string: scalars become text', () => {
    const schema = [field({ name: 'p', type: 'playlist' }), field({ name: 's', type: 'string' })];
    expect(validateParams(schema, { p: 4, s: 12 })).toEqual({ ok: true, params: { p: 4, s: '12' } });
    expect(validateParams(schema, { p: '4', s: true })).toEqual({ ok: true, params: { p: '4', s: 'true' } });
    expect(validateParams(schema, { p: [4], s: { x: 1 } })).toEqual({
      ok: false,
      errors: ['P is invalid', 'S is invalid'],
      message: 'P is invalid; S is invalid',
    });
  });

  it('the registered fetch schema: url required, quality medium by default', () => {
    expect(validateParams(JOB_SCHEMAS.fetch, {})).toMatchObject({ ok: false, message: 'URL is required' });
    expect(validateParams(JOB_SCHEMAS.fetch, { url: 'https://x.test/v' })).toEqual({
      ok: true,
      params: { url: 'https://x.test/v', quality: 'medium', max_videos: 50, add_to_playlist: null },
    });
    expect(validateParams(JOB_SCHEMAS.fetchurls, { section: 'sunday' })).toMatchObject({
      ok: false,
      message: 'Section must be one of [all, friday, saturday-night, saturday-morning]',
    });
  });
});

describe('paramsFromBody', () => {
  it('takes {params:{…}}, else the body itself; anything else is none', () => {
    expect(paramsFromBody({ params: { a: 1 } })).toEqual({ a: 1 });
    expect(paramsFromBody({ a: 1 })).toEqual({ a: 1 });
    expect(paramsFromBody({ params: 'x' })).toEqual({});
    expect(paramsFromBody({ params: null })).toEqual({});
    for (const empty of [undefined, null, '', 'text', 3, [1, 2]]) expect(paramsFromBody(empty)).toEqual({});
  });
});

describe('failureMessage', () => {
  it('an expected failure gives the clean message; anything else "Type: msg"', () => {
    expect(failureMessage(new Error('yt-dlp is not installed'), true)).toBe('yt-dlp is not installed');
    expect(failureMessage(new TypeError('x is not a function'), false)).toBe(
      'TypeError: x is not a function',
    );
    class DiskFull extends Error {}
    expect(failureMessage(new DiskFull('no space'), false)).toBe('DiskFull: no space');
    expect(failureMessage(new RangeError(''), false)).toBe('RangeError');
    expect(failureMessage('boom', false)).toBe('Error: boom');
  });
});

describe('progressDelay', () => {
  it('writes at once the first time and after the gap, else waits for the rest of it', () => {
    expect(progressDelay(null, 5000, 1000)).toBe(0);
    expect(progressDelay(5000, 5000, 1000)).toBe(1000);
    expect(progressDelay(5000, 5400, 1000)).toBe(600);
    expect(progressDelay(5000, 6000, 1000)).toBe(0);
    expect(progressDelay(5000, 9000, 1000)).toBe(0);
  });
});

describe('runSummary', () => {
  it('failed → the error; interrupted/cancelled → a word; otherwise the counts', () => {
    expect(runSummary('failed', { error: 'yt-dlp is not installed on this server' })).toBe(
      'yt-dlp is not installed on this server',
    );
    expect(runSummary('failed', null)).toBe('Failed');
    expect(runSummary('interrupted', null)).toBe('Interrupted by a restart');
    expect(runSummary('cancelled', null)).toBe('Cancelled');
    expect(runSummary('running', null)).toBe('Running…');
    expect(runSummary('running', { phase: 'scanned', scanned: 500, matched: 3 })).toBe(
      'phase: scanned, scanned: 500, matched: 3',
    );
    expect(
      runSummary('completed', {
        status: 'completed',
        seen: 61,
        new: 61,
        updated: 0,
        gone: 0,
        errors: 0,
        x: 'y',
      }),
    ).toBe('seen: 61, new: 61, updated: 0, gone: 0, errors: 0');
    expect(runSummary('completed', { scanned: 10, matched: 2, dry_run: true, candidates: [1, 2] })).toBe(
      'scanned: 10, matched: 2, dry run',
    );
    expect(runSummary('completed', { uploaded: 0, errors: ['a', 'b'] })).toBe('errors: 2, uploaded: 0');
    expect(runSummary('completed', null)).toBe('');
  });
});

describe('parseStoredJson', () => {
  it('parses JSON text; null/empty → null; non-JSON stays text', () => {
    expect(parseStoredJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseStoredJson(null)).toBeNull();
    expect(parseStoredJson('')).toBeNull();
    expect(parseStoredJson('not json')).toBe('not json');
  });
});
