import { SeededRandom } from '../common/random';
import {
  bearerKey,
  deviceName,
  displayCode,
  hashSecret,
  LINK_ALPHABET,
  newApiKey,
  newLinkCode,
  normaliseCode,
} from './devices.rules';

describe('device link codes', () => {
  const rng = new SeededRandom(7);
  const draw = (n: number): number => rng.int(n);

  it('are 8 characters with no look-alikes, shown as XXXX-XXXX', () => {
    for (const c of ['0', 'O', '1', 'I', 'L', '5', 'S', '8', 'B']) expect(LINK_ALPHABET).not.toContain(c);
    const code = newLinkCode(draw);
    expect(code).toMatch(/^[234679ACDEFGHJKMNPQRTUVWXYZ]{8}$/);
    expect(displayCode('ABCDEFGH')).toBe('ABCD-EFGH');
  });

  it.each([
    ['acdf-ghjk', 'ACDFGHJK'],
    [' ACDF GHJK ', 'ACDFGHJK'],
    ['ACDFGHJK', 'ACDFGHJK'],
    ['ACDF-GHJ', null], // too short
    ['ACDF-GHJO', null], // O is not in the alphabet
    [42, null],
  ])('normalises %j → %j', (input, code) => {
    expect(normaliseCode(input)).toBe(code);
  });
});

describe('device keys', () => {
  it('are wqk_ + 32 characters and only their hash is kept', () => {
    const key = newApiKey(() => 0);
    expect(key).toBe(`wqk_${'A'.repeat(32)}`);
    expect(hashSecret(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(key)).not.toContain(key);
  });

  it.each([
    [`Bearer wqk_${'a'.repeat(32)}`, `wqk_${'a'.repeat(32)}`],
    [`bearer   wqk_${'a'.repeat(32)}`, `wqk_${'a'.repeat(32)}`],
    [`Bearer wqk_short`, null],
    [`Basic abc`, null],
    [undefined, null],
  ])('reads %j', (header, key) => {
    expect(bearerKey(header)).toBe(key);
  });

  it('names devices', () => {
    expect(deviceName('  Living   room TV ')).toBe('Living room TV');
    expect(deviceName('')).toBe('Device');
    expect(deviceName(null)).toBe('Device');
    expect(deviceName('x'.repeat(100))).toHaveLength(60);
  });
});
