import {
  checkMethod,
  isWeekendSheetName,
  linkKind,
  localDate,
  parseSheet,
  weekendSheetName,
} from './weekend.rules';

describe('weekendSheetName (the upcoming weekend, Friday to Sunday)', () => {
  it.each([
    [{ year: 2026, month: 6, day: 10 }, '6.12-6.14'], // Wednesday → this Friday
    [{ year: 2026, month: 6, day: 11 }, '6.12-6.14'], // Thursday
    [{ year: 2026, month: 6, day: 12 }, '6.12-6.14'], // Friday counts as this weekend
    [{ year: 2026, month: 6, day: 13 }, '6.19-6.21'], // Saturday rolls on to the next one
    [{ year: 2026, month: 6, day: 14 }, '6.19-6.21'], // Sunday too
    [{ year: 2026, month: 7, day: 30 }, '7.31-8.2'], // across a month, no zero padding
    [{ year: 2026, month: 12, day: 28 }, '1.1-1.3'], // across a year
  ])('%j → %s', (date, name) => {
    expect(weekendSheetName(date)).toBe(name);
  });

  it('reads the date in the channel’s time zone', () => {
    // Friday 23:30 in New York is already Saturday in UTC
    const ny = localDate(Date.UTC(2026, 5, 13, 3, 30), 'America/New_York');
    expect(ny).toEqual({ year: 2026, month: 6, day: 12 });
    expect(weekendSheetName(ny)).toBe('6.12-6.14');
  });

  it('knows a weekend sheet name', () => {
    expect(isWeekendSheetName('6.12-6.14')).toBe(true);
    expect(isWeekendSheetName('12.31-1.2')).toBe(true);
    expect(isWeekendSheetName('Template')).toBe(false);
    expect(isWeekendSheetName('6.12')).toBe(false);
  });
});

describe('parseSheet', () => {
  const row = (row: number, a: string, e = '', f = ''): { row: number; a: string; e: string; f: string } => ({
    row,
    a,
    e,
    f,
  });
  it('splits rows into sections by column A headers and keeps column F', () => {
    const { entries, ignored } = parseSheet([
      row(1, 'Title', 'Link', 'Resolved'),
      row(2, 'FRIDAY NIGHT'),
      row(
        3,
        'Movie one',
        'https://www.youtube.com/watch?v=aaaaaaaaaaa',
        'https://www.dropsugar.com/api/v1/media/cytube/AAA.json?format=json',
      ),
      row(4, 'Movie two', 'https://www.dropsugar.com/view?m=BBB'),
      row(5, 'notes', 'not a link'),
      row(6, 'Saturday Morning Cartoons'),
      row(7, 'Toon', 'https://tubitv.com/movies/1/toon'),
      row(8, 'Saturday Night Double Feature'),
      row(9, 'Late', 'https://example.org/late.mp4', 'n/a'),
      row(10, 'Sunday'),
      row(11, 'Later', 'https://example.org/sunday.mp4'),
    ]);
    expect(entries).toEqual([
      {
        section: 'friday',
        row: 3,
        url: 'https://www.youtube.com/watch?v=aaaaaaaaaaa',
        resolved: 'https://www.dropsugar.com/api/v1/media/cytube/AAA.json?format=json',
        label: 'Movie one',
      },
      {
        section: 'friday',
        row: 4,
        url: 'https://www.dropsugar.com/view?m=BBB',
        resolved: null,
        label: 'Movie two',
      },
      {
        section: 'saturday-morning',
        row: 7,
        url: 'https://tubitv.com/movies/1/toon',
        resolved: null,
        label: 'Toon',
      },
      {
        section: 'saturday-night',
        row: 9,
        url: 'https://example.org/late.mp4',
        resolved: null,
        label: 'Late',
      },
    ]);
    expect(ignored).toBe(1);
  });
});

describe('linkKind and checkMethod', () => {
  const ours = 'https://media.channel-z.example';
  it.each([
    ['https://media.channel-z.example/view?m=abc', 'dropsugar'],
    ['https://www.dropsugar.com/api/v1/media/cytube/abc.json', 'dropsugar'],
    ['https://youtu.be/abcdefghijk', 'download'],
    ['https://www.youtube.com/watch?v=abcdefghijk', 'download'],
    ['https://tubitv.com/movies/1/x', 'download'],
    ['https://archive.org/details/x', 'unknown'],
    ['nonsense', 'unknown'],
    ['https://media.channel-z.example/about', 'unknown'], // our host, but not a media link
  ])('%s is %s', (url, kind) => {
    expect(linkKind(url, ours)).toBe(kind);
  });
  it('downloads from the configured hosts only', () => {
    expect(linkKind('http://127.0.0.1:4000/videos/a.mp4', 'http://127.0.0.1:4000', ['127.0.0.1:4000'])).toBe(
      'download',
    );
    expect(linkKind('http://127.0.0.1:4000/view?m=abc', 'http://127.0.0.1:4000', ['127.0.0.1:4000'])).toBe(
      'dropsugar',
    );
    expect(linkKind('https://m.youtube.com/watch?v=x', ours, ['youtube.com'])).toBe('download');
  });
  it('GETs MediaCMS manifests and HEADs the rest', () => {
    expect(checkMethod('https://x/api/v1/media/cytube/a.json?format=json')).toBe('GET');
    expect(checkMethod('https://x/view?m=a')).toBe('HEAD');
  });
});
