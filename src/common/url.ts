/** A connection URL fit for a log line or an error: the password left out; null if unreadable. */
export function withoutPassword(url: string): string | null {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return null;
  }
}
