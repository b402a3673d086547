import { createHash } from 'node:crypto';

/**
 * Device linking rules: the short link code a viewer reads off their dashboard and types into a
 * device (8 characters from an alphabet without look-alikes, shown as XXXX-XXXX), the long-lived
 * key the device gets back (stored only as a hash), and the bearer header. Pure functions; the
 * random draws are passed in.
 */

/** No 0/O, 1/I/L, 5/S or 8/B: nothing a person could misread. */
export const LINK_ALPHABET = '234679ACDEFGHJKMNPQRTUVWXYZ';
export const LINK_CODE_LENGTH = 8;
export const LINK_CODE_TTL_MS = 10 * 60_000;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const KEY_PREFIX = 'wqk_';

/** `draw(n)` → an integer in [0, n), cryptographically strong in the product. */
export type Draw = (max: number) => number;

export function newLinkCode(draw: Draw): string {
  let out = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i++) out += LINK_ALPHABET[draw(LINK_ALPHABET.length)];
  return out;
}

/** "ABCD-EFGH" for people. */
export function displayCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed → the code, or null: case, spaces and dashes do not matter. */
export function normaliseCode(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const code = input.toUpperCase().replace(/[\s-]+/g, '');
  if (code.length !== LINK_CODE_LENGTH) return null;
  return [...code].every((c) => LINK_ALPHABET.includes(c)) ? code : null;
}

/** A 192-bit key: `wqk_` + 32 base62 characters. */
export function newApiKey(draw: Draw): string {
  let out = KEY_PREFIX;
  for (let i = 0; i < 32; i++) out += KEY_ALPHABET[draw(KEY_ALPHABET.length)];
  return out;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The key in `Authorization: Bearer wqk_…`, or null. */
export function bearerKey(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m || !m[1].startsWith(KEY_PREFIX) || m[1].length !== KEY_PREFIX.length + 32) return null;
  return m[1];
}

/** A device name for the list: trimmed, ≤ 60 characters, "Device" when empty. */
export function deviceName(input: unknown): string {
  const name = typeof input === 'string' ? input.replace(/\s+/g, ' ').trim().slice(0, 60) : '';
  return name === '' ? 'Device' : name;
}
