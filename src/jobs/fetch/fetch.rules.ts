/**
 * The fetch job's rules: which URLs it takes, YouTube Mix/Radio links cut down to their video,
 * yt-dlp's format choice per quality, its progress lines, and the description an upload gets.
 * Pure functions only.
 */

export type Quality = 'best' | 'good' | 'medium';

/**
 * A YouTube Mix or Radio link (`list=RD…`, `start_radio=1`) becomes the plain video link
 * (`v=`, plus `t=` when present): yt-dlp would otherwise try to fetch an endless mix.
 * Anything that is not http(s) with a host → null (unsupported).
 */
export function cleanVideoUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  const host = url.hostname.replace(/^(www\.|m\.|music\.)/, '');
  if (host === 'youtube.com' && url.pathname === '/watch') {
    const list = url.searchParams.get('list') ?? '';
    const v = url.searchParams.get('v');
    if (v && (list.startsWith('RD') || url.searchParams.has('start_radio'))) {
      const clean = new URL(`${url.protocol}//${url.host}/watch`);
      clean.searchParams.set('v', v);
      const t = url.searchParams.get('t');
      if (t) clean.searchParams.set('t', t);
      return clean.toString();
    }
  }
  return url.toString();
}

/** yt-dlp `-f`: medium ≤ 720p, good ≤ 1080p, best unlimited; unknown heights pass (`?`). */
export function formatFor(quality: Quality): string {
  if (quality === 'best') return 'bv*+ba/b';
  const h = quality === 'good' ? 1080 : 720;
  return `bv*[height<=?${h}]+ba/b[height<=?${h}]/bv*[height<=?${h}]`;
}

/** The percentage in a yt-dlp `[download]  42.3% of …` line, or null. */
export function downloadPercent(line: string): number | null {
  const m = /^\[download\]\s+(\d{1,3}(?:\.\d+)?)%/.exec(line.trim());
  return m ? Math.min(100, Number(m[1])) : null;
}

export interface VideoInfo {
  title: string;
  description: string;
  webpage_url: string;
  uploader?: string | null;
}

/** The uploaded item's description: ours on top, the source's below, both marked. */
export function uploadDescription(info: VideoInfo, sourceUrl: string): string {
  const parts = [`Original URL: ${sourceUrl}`];
  if (info.uploader) parts.push(`Uploader: ${info.uploader}`);
  const original = (info.description ?? '').trim();
  if (original !== '') parts.push(`Original Description:\n${original}`);
  return parts.join('\n\n');
}

/** Whether a MediaCMS description records this source URL (duplicate detection). */
export function recordsSource(description: string, sourceUrl: string): boolean {
  return (description ?? '').split('\n').some((line) => line.trim() === `Original URL: ${sourceUrl}`);
}

/** A title for MediaCMS (≤ 100 characters), never empty. */
export function uploadTitle(title: string | undefined, fallback: string): string {
  const t = (title ?? '').replace(/\s+/g, ' ').trim();
  return (t === '' ? fallback : t).slice(0, 100);
}
