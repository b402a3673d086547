import supertest from 'supertest';

type Target = Parameters<typeof supertest>[0];

/**
 * supertest, as a browser on this site would send it: every state-changing request carries an
 * `Origin` of the app it is sent to (the CSRF guard refuses one without). A test that is about
 * origins sets its own with `.set('Origin', …)`, which replaces this one.
 */
export default function request(target: Target): ReturnType<typeof supertest> {
  const agent = supertest(target);
  const origin = originOf(target);
  if (origin === null) return agent;
  for (const method of ['post', 'put', 'patch', 'delete'] as const) {
    const send = agent[method].bind(agent);
    agent[method] = (url: string) => send(url).set('Origin', origin);
  }
  return agent;
}

function originOf(target: Target): string | null {
  if (typeof target === 'string') return new URL(target).origin;
  const server = target as { address?: () => unknown };
  const address = typeof server.address === 'function' ? server.address() : null;
  if (address && typeof address === 'object' && 'port' in address) {
    return `http://127.0.0.1:${(address as { port: number }).port}`;
  }
  return null;
}
