import { preflight } from '../../../src/cluster/preflight';

describe('start-up checks of the database and Redis the config names', () => {
  it('an unreachable Redis stops the start with one sentence naming it, password hidden', async () => {
    await expect(preflight({ database_url: '', redis_url: 'redis://:secret@127.0.0.1:9/0' })).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/127\.0\.0\.1:9\/0: /,
    );
  });

  it('an unreachable PostgreSQL stops the start with one sentence naming it, password hidden', async () => {
    await expect(
      preflight({ database_url: 'postgres://webqueue:secret@127.0.0.1:9/webqueue', redis_url: '' }),
    ).rejects.toThrow(/^cannot open the database postgres:\/\/webqueue@127\.0\.0\.1:9\/webqueue: /);
  });

  it('SQLite alone needs nothing reachable', async () => {
    await expect(preflight({ database_url: '', redis_url: '' })).resolves.toBeUndefined();
  });
});
