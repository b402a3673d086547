import {
  classifyLine,
  type CatalogHit,
  hostOf,
  parseTextImport,
  referencedTokens,
  titleHint,
  importReasonText,
} from './text-import.rules';

const BASE = 'https://www.dropsugar.com';
const CATALOG: Record<string, CatalogHit> = {
  Known01: {
    manifest_url: `${BASE}/api/v1/media/cytube/Known01.json?format=json`,
    title: 'Known One',
    duration_sec: 600,
  },
  NoTitle2: {
    manifest_url: `${BASE}/api/v1/media/cytube/NoTitle2.json?format=json`,
    title: '',
    duration_sec: 90,
  },
};
const lookup = (token: string): CatalogHit | null => CATALOG[token] ?? null;
const opts = { mediacmsUrl: BASE };

function one(line: string, options = opts): ReturnType<typeof parseTextImport> {
  return parseTextImport(line, lookup, options);
}

describe('text import: YouTube', () => {
  it.each([
    ['https://youtu.be/dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://youtu.be/dQw4w9WgXcQ?t=42', 'dQw4w9WgXcQ'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://www.youtube.com/watch?list=PL123&v=dQw4w9WgXcQ&t=10s', 'dQw4w9WgXcQ'],
    ['https://youtube.com/shorts/abcdefghijk', 'abcdefghijk'],
    ['https://www.youtube.com/embed/A_b-C_d-E_f?start=5', 'A_b-C_d-E_f'],
    ['http://www.youtube.com/v/abcdefghijk', 'abcdefghijk'],
    ['https://m.youtube.com/live/abcdefghijk?feature=share', 'abcdefghijk'],
  ])('%s → yt:%s with every other argument dropped', (url, id) => {
    expect(one(url)).toEqual({
      items: [{ media_type: 'yt', media_id: id, title: null, duration_sec: null }],
      errors: [],
    });
  });

  it('a URL with no video id is youtube_no_video_id', () => {
    const url = 'https://www.youtube.com/playlist?list=PLabc';
    expect(one(url).errors).toEqual([
      {
        line: 1,
        token: url,
        reason: 'youtube_no_video_id',
        message: importReasonText('youtube_no_video_id'),
      },
    ]);
    expect(one('https://www.youtube.com/watch?v=short').errors[0].reason).toBe('youtube_no_video_id');
  });

  it('keeps the title hint after the URL', () => {
    expect(one('https://youtu.be/dQw4w9WgXcQ - Never Gonna').items[0].title).toBe('Never Gonna');
  });
});

describe('text import: dropsugar (MediaCMS) URLs', () => {
  it('takes the token from /media/cytube/TOKEN.json and resolves it via the catalog', () => {
    expect(one(`${BASE}/api/v1/media/cytube/Known01.json?format=json`).items).toEqual([
      { media_type: 'cm', media_id: CATALOG.Known01.manifest_url, title: 'Known One', duration_sec: 600 },
    ]);
  });

  it('takes the token from ?m=TOKEN (watch URLs) too', () => {
    expect(one('https://dropsugar.example/view?m=Known01').items[0].media_id).toBe(
      CATALOG.Known01.manifest_url,
    );
    expect(one('https://www.dropsugar.com/view?x=1&m=Known01').items[0].title).toBe('Known One');
  });

  it('an unknown token becomes a constructed manifest URL with the hint as title', () => {
    expect(one('https://www.dropsugar.com/view?m=Other99 – A Hint').items).toEqual([
      {
        media_type: 'cm',
        media_id: `${BASE}/api/v1/media/cytube/Other99.json?format=json`,
        title: 'A Hint',
        duration_sec: null,
      },
    ]);
  });

  it('the catalog title wins over the hint; an empty catalog title falls back to the hint', () => {
    expect(one(`${BASE}/view?m=Known01 - Mine`).items[0].title).toBe('Known One');
    expect(one(`${BASE}/view?m=NoTitle2 - Mine`).items[0]).toMatchObject({ title: 'Mine', duration_sec: 90 });
  });

  it('without a MediaCMS url an unknown token is not_in_catalog', () => {
    const url = 'https://www.dropsugar.com/view?m=Other99';
    expect(parseTextImport(url, lookup, {}).errors).toEqual([
      { line: 1, token: url, reason: 'not_in_catalog', message: importReasonText('not_in_catalog') },
    ]);
    expect(parseTextImport(url, lookup, { mediacmsUrl: '  ' }).errors[0].reason).toBe('not_in_catalog');
  });

  it('no token → no_token_in_url', () => {
    const url = 'https://www.dropsugar.com/media/list';
    expect(one(url).errors).toEqual([
      { line: 1, token: url, reason: 'no_token_in_url', message: importReasonText('no_token_in_url') },
    ]);
  });

  it('the configured mediacms host counts as a dropsugar host (port included)', () => {
    const local = { mediacmsUrl: 'http://127.0.0.1:4567/' };
    const res = parseTextImport('http://127.0.0.1:4567/view?m=Abc123', lookup, local);
    expect(res.items[0].media_id).toBe('http://127.0.0.1:4567/api/v1/media/cytube/Abc123.json?format=json');
    expect(parseTextImport('http://127.0.0.1:9999/view?m=Abc123', lookup, local).errors[0].reason).toBe(
      'unsupported_site',
    );
  });

  it('strips trailing . , ; from the URL', () => {
    expect(one(`${BASE}/view?m=Known01.`).items[0].title).toBe('Known One');
    expect(one('https://youtu.be/dQw4w9WgXcQ;,').items[0].media_id).toBe('dQw4w9WgXcQ');
  });
});

describe('text import: other sites and legacy forms', () => {
  it('any other site is unsupported_site', () => {
    const url = 'https://vimeo.com/12345';
    expect(one(`${url} - nice`).errors).toEqual([
      { line: 1, token: url, reason: 'unsupported_site', message: importReasonText('unsupported_site') },
    ]);
  });

  it('cm:TOKEN resolves via the catalog, else a constructed manifest, else the bare token', () => {
    expect(one('cm:Known01').items[0]).toEqual({
      media_type: 'cm',
      media_id: CATALOG.Known01.manifest_url,
      title: 'Known One',
      duration_sec: 600,
    });
    expect(one('cm:Other99').items[0].media_id).toBe(`${BASE}/api/v1/media/cytube/Other99.json?format=json`);
    expect(parseTextImport('cm:Other99', lookup, {}).items[0].media_id).toBe('Other99');
    expect(one('CM:Known01').items[0].title).toBe('Known One');
  });

  it('yt:ID is taken verbatim, without validation', () => {
    expect(one('yt:whatever').items).toEqual([
      { media_type: 'yt', media_id: 'whatever', title: null, duration_sec: null },
    ]);
    expect(one('yt:abc - Title').items[0].title).toBe('Title');
  });

  it('empty legacy ids are errors, never empty media ids', () => {
    expect(one('yt:').errors[0]).toEqual({
      line: 1,
      token: 'yt:',
      reason: 'youtube_no_video_id',
      message: importReasonText('youtube_no_video_id'),
    });
    expect(one('cm:').errors[0]).toEqual({
      line: 1,
      token: 'cm:',
      reason: 'not_in_catalog',
      message: importReasonText('not_in_catalog'),
    });
  });

  it('a bare token must be in the catalog', () => {
    expect(one('Known01').items[0].title).toBe('Known One');
    expect(one('Nope42').errors).toEqual([
      { line: 1, token: 'Nope42', reason: 'not_in_catalog', message: importReasonText('not_in_catalog') },
    ]);
    expect(one('just some words').errors).toEqual([
      {
        line: 1,
        token: 'just some words',
        reason: 'not_in_catalog',
        message: importReasonText('not_in_catalog'),
      },
    ]);
  });
});

describe('text import: lines, comments, hints', () => {
  it('numbers lines from 1, skips blank and comment-only lines, drops comments', () => {
    const text = [
      '# my playlist',
      '',
      '   ',
      'Known01 # the first one',
      'https://youtu.be/dQw4w9WgXcQ#not-a-fragment',
      'Nope42',
      '\t# indented comment',
      'https://vimeo.com/1',
    ].join('\n');
    const res = one(text);
    expect(res.items.map((i) => i.media_id)).toEqual([CATALOG.Known01.manifest_url, 'dQw4w9WgXcQ']);
    expect(res.errors).toEqual([
      { line: 6, token: 'Nope42', reason: 'not_in_catalog', message: importReasonText('not_in_catalog') },
      {
        line: 8,
        token: 'https://vimeo.com/1',
        reason: 'unsupported_site',
        message: importReasonText('unsupported_site'),
      },
    ]);
  });

  it('handles CRLF and CR line endings', () => {
    expect(one('yt:a\r\nyt:b\ryt:c').items.map((i) => i.media_id)).toEqual(['a', 'b', 'c']);
    expect(one('yt:a\r\n\r\nNope42').errors[0].line).toBe(3);
  });

  it('title hints: both dashes and spaces stripped; empty hint → null', () => {
    expect(titleHint(' - Hyphen')).toBe('Hyphen');
    expect(titleHint(' – En dash')).toBe('En dash');
    expect(titleHint('--  Two')).toBe('Two');
    expect(titleHint('No dash')).toBe('No dash');
    expect(titleHint('  -  ')).toBeNull();
    expect(titleHint('A - B')).toBe('A - B');
    expect(one('https://youtu.be/dQw4w9WgXcQ –').items[0].title).toBeNull();
  });

  it('ignores text before the URL', () => {
    expect(one('watch this https://youtu.be/dQw4w9WgXcQ later').items[0]).toMatchObject({
      media_id: 'dQw4w9WgXcQ',
      title: 'later',
    });
  });

  it('never throws: empty text, a throwing lookup, odd input', () => {
    expect(one('')).toEqual({ items: [], errors: [] });
    expect(parseTextImport(undefined as unknown as string, lookup, opts)).toEqual({ items: [], errors: [] });
    const boom = (): CatalogHit => {
      throw new Error('db down');
    };
    expect(parseTextImport('Known01\ncm:Known01', boom, opts)).toEqual({
      items: [
        {
          media_type: 'cm',
          media_id: `${BASE}/api/v1/media/cytube/Known01.json?format=json`,
          title: null,
          duration_sec: null,
        },
      ],
      errors: [
        { line: 1, token: 'Known01', reason: 'not_in_catalog', message: importReasonText('not_in_catalog') },
      ],
    });
  });
});

describe('text import helpers', () => {
  it('hostOf takes the part before the first slash, lower-cased', () => {
    expect(hostOf('https://WWW.YouTube.com/watch?v=x')).toBe('www.youtube.com');
    expect(hostOf('http://127.0.0.1:4567')).toBe('127.0.0.1:4567');
    expect(hostOf('http://host?x=1')).toBe('host');
  });

  it('classifyLine returns null for blank and comment-only lines', () => {
    expect(classifyLine('')).toBeNull();
    expect(classifyLine('  # x')).toBeNull();
  });

  it('referencedTokens lists the catalog tokens once (not YouTube ids or errors)', () => {
    const text = 'Known01\ncm:Other99\nyt:abc\nhttps://www.dropsugar.com/view?m=Known01\nhttps://vimeo.com/1';
    expect(referencedTokens(text, opts)).toEqual(['Known01', 'Other99']);
  });
});
