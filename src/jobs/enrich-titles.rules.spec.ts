import { addedSince, proposeTitle } from './enrich-titles.rules';

describe('proposeTitle (enrichtitles dry run, movie rules)', () => {
  it('cleans release names with a file extension or a [YYYY]', () => {
    expect(proposeTitle('Night.of.the.Living.Dead.1968.1080p.BluRay.x264.mkv')).toEqual({
      kind: 'change',
      proposed: 'Night of the Living Dead (1968)',
    });
    expect(proposeTitle('Carnival of Souls [1962]')).toEqual({
      kind: 'change',
      proposed: 'Carnival of Souls (1962)',
    });
    expect(proposeTitle('The Brain That Wouldnt Die.mp4')).toEqual({
      kind: 'change',
      proposed: 'The Brain That Wouldnt Die',
    });
  });

  it('leaves clean titles and titles without the triggers alone', () => {
    expect(proposeTitle('Alien (1979)')).toEqual({ kind: 'none' });
    expect(proposeTitle('Some.Dotted.Name.1080p')).toEqual({ kind: 'none' });
    expect(proposeTitle('.mp4')).toEqual({ kind: 'none' });
  });

  it('marks TV-looking titles for the real tool', () => {
    expect(proposeTitle('Show.S01E08.720p.mkv')).toEqual({ kind: 'tv' });
    expect(proposeTitle('Show 2x05 [2001]')).toEqual({ kind: 'tv' });
    expect(proposeTitle('Show S04 Ep 20')).toEqual({ kind: 'tv' });
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
