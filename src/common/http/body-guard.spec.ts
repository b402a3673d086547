import { bodyProblem, MAX_BODY_DEPTH } from './body-guard';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('bodyProblem', () => {
  it.each([
    ['no body', undefined, null],
    ['a flat object', { friendly_token: 'abc', tier: 'queue' }, null],
    ['arrays of objects', { items: [{ token: 'a' }, { token: 'b' }] }, null],
    ['nesting just within the limit', nested(MAX_BODY_DEPTH), null],
    [
      'nesting past the limit',
      nested(MAX_BODY_DEPTH + 1),
      `Request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels)`,
    ],
    ['2,000 levels', nested(2000), `Request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels)`],
    [
      'deep arrays',
      JSON.parse('['.repeat(50) + ']'.repeat(50)) as unknown,
      `Request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels)`,
    ],
    [
      'a constructor key',
      JSON.parse('{"constructor":{"prototype":{}}}') as unknown,
      'Request body may not use the key "constructor"',
    ],
    [
      'a nested __proto__ key',
      JSON.parse('{"a":{"__proto__":{"x":1}}}') as unknown,
      'Request body may not use the key "__proto__"',
    ],
    ['a prototype key', { prototype: 1 }, 'Request body may not use the key "prototype"'],
    ['constructor as a value is fine', { title: 'constructor' }, null],
  ])('%s', (_name, body, problem) => {
    expect(bodyProblem(body)).toBe(problem);
  });
});
