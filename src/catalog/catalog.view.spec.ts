import { posterFor } from './catalog.view';

describe('posterFor', () => {
  const base = {
    title: 'midnight Harbor',
    cover_art_path: null,
    cover_art_source: null,
    thumbnail_url: null,
  };

  it('uses the WebP srcset for a real poster', () => {
    const p = posterFor(
      { ...base, cover_art_path: 'ab12cd34', cover_art_source: 'tmdb' },
      '/images/placeholders/p.webp',
    );
    expect(p.srcset).toBe(
      '/images/ab12cd34/200.webp 200w, /images/ab12cd34/400.webp 400w, /images/ab12cd34/800.webp 800w',
    );
    expect(p.placeholder).toBeNull();
    expect(p.shape).toBe('portrait');
  });

  it('a thumbnail is landscape (never under the placeholder); the placeholder only without one; the letter only without any image', () => {
    const thumb = 'http://m/media/original/thumbnails/x.png';
    expect(posterFor({ ...base, thumbnail_url: thumb }, '/images/placeholders/p.webp')).toMatchObject({
      srcset: null,
      placeholder: null,
      thumbnail: thumb,
      shape: 'landscape',
    });
    // a stored copy of the MediaCMS thumbnail (not a real poster) is landscape too
    expect(
      posterFor(
        { ...base, cover_art_path: 'ff00', cover_art_source: 'thumbnail' },
        '/images/placeholders/p.webp',
      ),
    ).toMatchObject({ thumbnail: '/images/ff00/400.webp', shape: 'landscape', placeholder: null });
    expect(posterFor(base, '/images/placeholders/p.webp')).toMatchObject({
      placeholder: '/images/placeholders/p.webp',
      thumbnail: null,
      shape: 'portrait',
    });
    expect(posterFor(base, null)).toMatchObject({
      thumbnail: null,
      placeholder: null,
      letter: 'M',
      shape: 'portrait',
    });
    expect(posterFor({ ...base, title: '"(1989)" x' }, null).letter).toBe('1');
  });

  it('never puts a javascript: URL into src', () => {
    expect(posterFor({ ...base, thumbnail_url: 'javascript:alert(1)' }, null).thumbnail).toBeNull();
  });
});
