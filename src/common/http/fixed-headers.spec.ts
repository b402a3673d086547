import helmet from 'helmet';
import { fixedHeaders } from './fixed-headers';

/** A response that records what was done to its headers, in order. */
function recordingResponse(): { res: never; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const res = {
    setHeader: (name: string, value: unknown) => calls.push(['set', name, value]),
    removeHeader: (name: string) => calls.push(['remove', name]),
  };
  return { res: res as never, calls };
}

describe('fixedHeaders', () => {
  const options = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'https:'] },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'same-origin' as const },
  };

  it('sets on every response exactly what helmet sets, and goes on', () => {
    const direct = recordingResponse();
    helmet(options)({} as never, direct.res, () => undefined);
    const replayed = fixedHeaders(helmet(options));
    for (let i = 0; i < 2; i++) {
      const once = recordingResponse();
      const next = jest.fn();
      replayed({} as never, once.res, next);
      expect(once.calls).toEqual(direct.calls);
      expect(next).toHaveBeenCalledWith();
    }
    expect(direct.calls).toContainEqual([
      'set',
      'Content-Security-Policy',
      "default-src 'self';img-src 'self' https:",
    ]);
    expect(direct.calls).toContainEqual(['remove', 'X-Powered-By']);
  });

  it('refuses at start-up a middleware that fails or does not finish at once', () => {
    expect(() => fixedHeaders((_req, _res, next) => next(new Error('bad directive')))).toThrow(
      'the security headers could not be worked out at start-up',
    );
    expect(() => fixedHeaders(() => undefined)).toThrow('could not be worked out');
  });
});
