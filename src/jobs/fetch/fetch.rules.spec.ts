import {
  cleanVideoUrl,
  downloadPercent,
  formatFor,
  recordsSource,
  uploadDescription,
  uploadTitle,
} from './fetch.rules';

describe('cleanVideoUrl', () => {
  it.each([
    [
      'https://www.youtube.com/watch?v=abcdefghijk&list=RDabcdefghijk&start_radio=1',
      'https://www.youtube.com/watch?v=abcdefghijk',
    ],
    [
      'https://www.youtube.com/watch?v=abcdefghijk&list=RDMMxyz&t=42',
      'https://www.youtube.com/watch?v=abcdefghijk&t=42',
    ],
    ['https://m.youtube.com/watch?v=abcdefghijk&start_radio=1', 'https://m.youtube.com/watch?v=abcdefghijk'],
    // a real playlist stays a playlist
    [
      'https://www.youtube.com/watch?v=abcdefghijk&list=PL123',
      'https://www.youtube.com/watch?v=abcdefghijk&list=PL123',
    ],
    ['https://tubitv.com/movies/123/x', 'https://tubitv.com/movies/123/x'],
  ])('%s → %s', (raw, clean) => {
    expect(cleanVideoUrl(raw)).toBe(clean);
  });

  it.each(['ftp://x/y.mp4', 'not a url', '', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'rejects %j',
    (raw) => {
      expect(cleanVideoUrl(raw)).toBeNull();
    },
  );
});

describe('formatFor', () => {
  it.each([
    ['medium', 'bv*[height<=?720]+ba/b[height<=?720]/bv*[height<=?720]'],
    ['good', 'bv*[height<=?1080]+ba/b[height<=?1080]/bv*[height<=?1080]'],
    ['best', 'bv*+ba/b'],
  ] as const)('%s → %s', (q, f) => {
    expect(formatFor(q)).toBe(f);
  });
});

describe('downloadPercent', () => {
  it.each([
    ['[download]  42.3% of   10.00MiB at  1.00MiB/s ETA 00:05', 42.3],
    ['[download] 100% of 13.0KiB in 00:00:00 at 1.2MiB/s', 100],
    ['[info] Downloading 1 format(s): 0', null],
    ['[download] Destination: /tmp/x.mp4', null],
  ])('%s → %j', (line, pct) => {
    expect(downloadPercent(line)).toBe(pct);
  });
});

describe('upload description and duplicates', () => {
  it('marks the source URL and keeps the original description below', () => {
    const d = uploadDescription(
      { title: 'T', description: 'Line one\nLine two', webpage_url: 'u', uploader: 'Chan' },
      'https://x.test/v',
    );
    expect(d).toBe(
      'Original URL: https://x.test/v\n\nUploader: Chan\n\nOriginal Description:\nLine one\nLine two',
    );
    expect(recordsSource(d, 'https://x.test/v')).toBe(true);
    expect(recordsSource(d, 'https://x.test/v2')).toBe(false);
    expect(recordsSource('see Original URL: https://x.test/v', 'https://x.test/v')).toBe(false);
  });

  it('titles are never empty and fit MediaCMS', () => {
    expect(uploadTitle('  A   title ', 'f')).toBe('A title');
    expect(uploadTitle('', 'fallback')).toBe('fallback');
    expect(uploadTitle('x'.repeat(150), 'f')).toHaveLength(100);
  });
});
