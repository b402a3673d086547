import { addedSince, proposeTitle } from './title-cleaner.rules';

describe('proposeTitle (enrichtitles)', () => {
  it.each([
    // TV: full-width pipe rips with Season/Episode parts
    ['Cheers ｜ Season 3 Episode 5 ｜ Full Episode', 'Cheers S03E05', 'tv_pipe'],
    ['The Addams Family ｜ S2 E14 ｜ Classic TV', 'The Addams Family S02E14', 'tv_pipe'],
    // TV: a leading sequence number plus SxxExx
    ['012 - Dragnet - S01E08 - The Big Actor', 'Dragnet S01E08', 'tv_numbered'],
    ['3. Bonanza S05E21', 'Bonanza S05E21', 'tv_numbered'],
    // TV: "S04 Ep 20"
    ['Gunsmoke S04 Ep 20', 'Gunsmoke S04E20', 'tv_ep'],
    ['Route 66 - S2 Ep. 3', 'Route 66 S02E03', 'tv_ep'],
    // TV: SxxExx or NxNN plus a video extension
    ['Show.Name.S01E08.720p.WEB-DL.mkv', 'Show Name S01E08', 'tv_file'],
    ['The_Twilight_Zone_1x08.avi', 'The Twilight Zone S01E08', 'tv_file'],
    ['Lost in Space 2x105.mp4', 'Lost in Space S02E105', 'tv_file'],
    // movies: extension or [YYYY] only
    ['Night.of.the.Living.Dead.1968.1080p.BluRay.x264.mkv', 'Night of the Living Dead (1968)', 'movie'],
    ['Carnival of Souls [1962]', 'Carnival of Souls (1962)', 'movie'],
    ['The Brain That Wouldnt Die.mp4', 'The Brain That Wouldnt Die', 'movie'],
    ['Plan_9_From_Outer_Space_[1957]_DVDRip_XviD.avi', 'Plan 9 From Outer Space (1957)', 'movie'],
    ['Detour (1945) REPACK 720p DTS.mkv', 'Detour (1945)', 'movie'],
    ['- The Hitch-Hiker [1953] -', 'The Hitch-Hiker (1953)', 'movie'],
    ['His Girl Friday 1940 DD5.1 x264-GROUP.mp4', 'His Girl Friday (1940)', 'movie'],
    ['Burning.Kingdom.1942.1080p.mp4', 'Burning Kingdom (1942)', 'movie'],
  ])('%s → %s (%s)', (raw, proposed, rule) => {
    expect(proposeTitle(raw)).toEqual({ kind: 'change', proposed, rule });
  });

  it.each([
    'Alien (1979)', // already clean
    'Some.Dotted.Name.1080p', // no trigger: no [YYYY], no extension
    'Show S01E08', // SxxExx without an extension is left as it is
    'Cheers ｜ Behind the scenes', // pipe without season/episode
    '.mp4',
    '',
    'S01E02.mkv', // no show name: nothing to build
  ])('leaves %j alone', (raw) => {
    expect(proposeTitle(raw)).toEqual({ kind: 'none' });
  });

  it('keeps titles within MediaCMS’s 100 characters', () => {
    const long = `${'Very Long Title '.repeat(10)}[1960].mp4`;
    const p = proposeTitle(long);
    expect(p.kind).toBe('change');
    expect(p.kind === 'change' && p.proposed.length).toBeLessThanOrEqual(100);
  });
});

describe('addedSince', () => {
  it('is the start of (today − days) in UTC; null keeps everything', () => {
    const now = Date.UTC(2026, 5, 14, 18, 30);
    expect(addedSince(now, 0)?.toISOString()).toBe('2026-06-14T00:00:00.000Z');
    expect(addedSince(now, 7)?.toISOString()).toBe('2026-06-07T00:00:00.000Z');
    expect(addedSince(now, null)).toBeNull();
    expect(addedSince(now, -1)).toBeNull();
  });
});
