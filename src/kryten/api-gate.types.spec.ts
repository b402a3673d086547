import {
  formatDuration,
  normaliseNowPlaying,
  normalisePlaylist,
  normaliseRefund,
  normaliseSpend,
  normaliseUser,
} from './api-gate.types';
import { manifestUrl, tokenFromManifestUrl } from './mediacms.client';

describe('api-gate shape normalisation', () => {
  it('reads the nested playlist shape', () => {
    const items = normalisePlaylist({
      items: [
        {
          uid: 17,
          temp: true,
          queueby: 'Bot',
          media: {
            id: 'https://m/x.json',
            title: 'Some Movie',
            seconds: 5520,
            duration: '01:32:00',
            type: 'cm',
            meta: { a: 1 },
          },
        },
      ],
    });
    expect(items).toEqual([
      {
        uid: 17,
        temp: true,
        queueby: 'Bot',
        media: {
          id: 'https://m/x.json',
          title: 'Some Movie',
          seconds: 5520,
          duration: '01:32:00',
          type: 'cm',
          meta: { a: 1 },
        },
      },
    ]);
  });

  it('reads the old flat shape into the same typed shape', () => {
    expect(
      normalisePlaylist({ items: [{ uid: 3, title: 'Flat', type: 'yt', id: 'dQw4w9WgXcQ', seconds: 212 }] }),
    ).toEqual([
      {
        uid: 3,
        temp: true,
        queueby: null,
        media: { id: 'dQw4w9WgXcQ', title: 'Flat', seconds: 212, duration: '03:32', type: 'yt' },
      },
    ]);
  });

  it('drops entries without an integer uid and survives junk', () => {
    expect(
      normalisePlaylist({ items: [{ uid: 'x' }, null, { uid: 0, media: {} }] }).map((i) => i.uid),
    ).toEqual([0]);
    expect(normalisePlaylist({})).toEqual([]);
    expect(normalisePlaylist(null)).toEqual([]);
  });

  it('reads now-playing, {} as null, uid optional', () => {
    expect(normaliseNowPlaying({})).toBeNull();
    expect(
      normaliseNowPlaying({
        id: 'a',
        title: 'T',
        seconds: 60,
        duration: '01:00',
        type: 'cm',
        currentTime: -3,
        paused: true,
        uid: 9,
        meta: {},
      }),
    ).toEqual({
      uid: 9,
      id: 'a',
      title: 'T',
      seconds: 60,
      duration: '01:00',
      type: 'cm',
      currentTime: -3,
      paused: true,
    });
    expect(
      normaliseNowPlaying({ id: 'a', title: 'T', seconds: 60, type: 'cm', currentTime: 12.5, paused: false }),
    ).toMatchObject({
      uid: null,
      currentTime: 12.5,
      duration: '01:00',
    });
  });

  it('tells online, AFK and offline users apart', () => {
    expect(
      normaliseUser(
        { name: 'Taco', rank: 2, profile: { text: 'hi' }, meta: { afk: false, muted: false } },
        'Taco',
      ),
    ).toEqual({
      online: true,
      name: 'Taco',
      rank: 2,
      afk: false,
      meta: { afk: false, muted: false },
      profile: { text: 'hi' },
    });
    expect(normaliseUser({ name: 'Taco', rank: 2, meta: { afk: true } }, 'Taco')).toMatchObject({
      online: true,
      afk: true,
    });
    expect(normaliseUser({ username: 'Taco', rank: 0, online: false }, 'Taco')).toEqual({
      online: false,
      username: 'Taco',
      rank: 0,
    });
    expect(normaliseUser({}, 'Ghost')).toEqual({ online: false, username: 'Ghost', rank: 0 });
    // the rank-change quirk leaves only {name, rank}: still online, not AFK
    expect(normaliseUser({ name: 'Taco', rank: 3 }, 'Taco')).toMatchObject({
      online: true,
      rank: 3,
      afk: false,
    });
  });

  it('normalises spend and refund bodies, reading `refunded` or `refunded_z`', () => {
    expect(normaliseSpend({ success: false, cost_z: 250, error_code: 'cooldown_active' })).toEqual({
      success: false,
      cost_z: 250,
      error_code: 'cooldown_active',
      replay: false,
    });
    expect(
      normaliseSpend({ success: true, cost_z: 250, tier: 'queue', request_id: 'r', idempotent_replay: true }),
    ).toEqual({
      success: true,
      cost_z: 250,
      tier: 'queue',
      request_id: 'r',
      replay: true,
    });
    expect(normaliseRefund({ success: true, refunded: 250, new_balance: 1000, request_id: 'r' })).toEqual({
      success: true,
      refunded_z: 250,
      new_balance: 1000,
      request_id: 'r',
      replay: false,
    });
    expect(normaliseRefund({ success: true, refunded_z: 40 }).refunded_z).toBe(40);
    expect(normaliseRefund({ success: false, error: 'unknown_request_id' })).toEqual({
      success: false,
      error: 'unknown_request_id',
      replay: false,
    });
  });

  it('formats durations like CyTube', () => {
    expect(formatDuration(59)).toBe('00:59');
    expect(formatDuration(3600)).toBe('01:00:00');
  });
});

describe('MediaCMS URL helpers', () => {
  it('builds and parses manifest URLs', () => {
    const url = manifestUrl('https://www.dropsugar.com/', 'AbC123xyZ');
    expect(url).toBe('https://www.dropsugar.com/api/v1/media/cytube/AbC123xyZ.json?format=json');
    expect(tokenFromManifestUrl(url)).toBe('AbC123xyZ');
    expect(tokenFromManifestUrl('https://www.dropsugar.com/api/v1/media/cytube/AbC123xyZ.json')).toBe(
      'AbC123xyZ',
    );
    expect(tokenFromManifestUrl('https://www.dropsugar.com/view?m=AbC123xyZ')).toBe('AbC123xyZ');
    expect(tokenFromManifestUrl('https://www.dropsugar.com/api/v1/media/AbC123xyZ')).toBe('AbC123xyZ');
    expect(tokenFromManifestUrl('dQw4w9WgXcQ')).toBeNull();
    expect(tokenFromManifestUrl('https://www.youtube.com/watch?v=dQw4w9WgXcQ')).toBeNull();
  });
});
