/**
 * Captures what the app logs (Nest's ConsoleLogger writes to stdout/stderr) so a test of a fault
 * path can assert its error lines instead of printing them into the test output.
 */
export interface CapturedLogs {
  lines(): string[];
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const captured: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  return {
    lines: () => captured.flatMap((c) => c.split('\n')).filter((l) => l.trim() !== ''),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}
