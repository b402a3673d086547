import { runSummary, type RunStatus } from './jobs.rules';

/**
 * What the dashboard says about a run, in words: the result ("Cleaned 12 of 60 titles"), the
 * live progress of a running one (a phase label and a percentage when one is known), and the
 * failures list. Pure functions only.
 */

export interface RunProgress {
  label: string;
  /** 0–100, or null when the phase has no measurable end. */
  percent: number | null;
}

export interface RunReport {
  summary: string;
  progress: RunProgress | null;
  failures: string[];
}

type Detail = Record<string, unknown>;

function isDetail(v: unknown): v is Detail {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function n(d: Detail, key: string): number {
  const v = d[key];
  return typeof v === 'number' ? v : 0;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function pct(done: number, total: number): number | null {
  return total > 0 ? Math.max(0, Math.min(100, Math.round((done / total) * 100))) : null;
}

export function runProgress(detail: unknown): RunProgress | null {
  if (!isDetail(detail) || typeof detail.phase !== 'string') return null;
  const done = n(detail, 'done');
  const total = n(detail, 'total');
  switch (detail.phase) {
    case 'fetching':
      return {
        label:
          total > 0 ? `Reading the library: ${n(detail, 'fetched')} of ${total}` : 'Reading the library…',
        percent: pct(n(detail, 'fetched'), total),
      };
    case 'scanned':
      return {
        label: `Scanned ${n(detail, 'scanned')} items, ${n(detail, 'matched')} to change`,
        percent: 0,
      };
    case 'committing':
      return { label: `Writing titles: ${done} of ${total}`, percent: pct(done, total) };
    case 'enriching':
      return { label: `Looking up metadata: ${done} of ${total}`, percent: pct(done, total) };
    case 'probing':
      return { label: 'Asking yt-dlp what the link holds…', percent: null };
    case 'downloading':
    case 'uploading': {
      const videos = n(detail, 'videos');
      const video = n(detail, 'video');
      const of = videos > 1 ? ` video ${video} of ${videos}` : '';
      const p = typeof detail.percent === 'number' ? detail.percent : 0;
      const overall = videos > 0 ? Math.round(((video - 1 + p / 100) / videos) * 100) : Math.round(p);
      return {
        label:
          detail.phase === 'uploading'
            ? `Uploading${of} to MediaCMS…`
            : `Downloading${of}: ${Math.round(p)}%`,
        percent: Math.max(0, Math.min(100, overall)),
      };
    }
    case 'reading workbook':
      return { label: 'Reading the workbook…', percent: null };
    case 'resolving':
      return { label: `Resolving links: ${done} of ${total}`, percent: pct(done, total) };
    case 'importing':
      return { label: 'Replacing the weekend playlists…', percent: 100 };
    case 'syncing':
      return { label: 'Syncing the catalog from MediaCMS…', percent: null };
    default:
      return { label: detail.phase, percent: null };
  }
}

function failureLines(detail: unknown): string[] {
  if (!isDetail(detail)) return [];
  const out: string[] = [];
  if (Array.isArray(detail.failures)) {
    for (const f of detail.failures as unknown[]) {
      if (!isDetail(f)) continue;
      const what = typeof f.title === 'string' ? f.title : typeof f.url === 'string' ? f.url : '';
      const where = typeof f.row === 'number' && f.row > 0 ? `row ${f.row}: ` : '';
      out.push(`${where}${what}${what ? ' — ' : ''}${typeof f.error === 'string' ? f.error : 'failed'}`);
    }
  }
  if (Array.isArray(detail.errors)) {
    for (const e of detail.errors as unknown[]) if (typeof e === 'string') out.push(e);
  }
  return out;
}

function completed(job: string, d: Detail): string | null {
  const dry = d.dry_run === true;
  switch (job) {
    case 'enrichtitles': {
      const head = dry
        ? `Would clean ${plural(n(d, 'matched'), 'title')} of ${n(d, 'scanned')} (dry run)`
        : `Cleaned ${n(d, 'committed')} of ${plural(n(d, 'matched'), 'title')} to change (${n(d, 'scanned')} scanned)`;
      return head + (n(d, 'failed') > 0 ? `; ${n(d, 'failed')} failed` : '');
    }
    case 'enrichmeta':
    case 'enrichtv': {
      const what = job === 'enrichmeta' ? 'movie' : 'episode';
      const head = dry
        ? `Would enrich ${plural(n(d, 'would_enrich'), what)} of ${n(d, 'matched')} candidates (dry run)`
        : `Enriched ${plural(n(d, 'committed'), what)} of ${n(d, 'matched')} candidates`;
      const parts = [
        n(d, 'not_found') > 0 ? `${n(d, 'not_found')} not found` : '',
        n(d, 'not_better') > 0 ? `${n(d, 'not_better')} already as good` : '',
        n(d, 'failed') > 0 ? `${n(d, 'failed')} failed` : '',
      ].filter((p) => p !== '');
      return head + (parts.length > 0 ? `; ${parts.join(', ')}` : '');
    }
    case 'fetch': {
      const parts = [`Uploaded ${plural(n(d, 'uploaded'), 'video')} to MediaCMS`];
      if (n(d, 'duplicates') > 0) parts.push(`${n(d, 'duplicates')} already there`);
      if (typeof d.added_to_playlist === 'number') parts.push('added to the playlist');
      const errors = Array.isArray(d.errors) ? d.errors.length : 0;
      if (errors > 0) parts.push(plural(errors, 'error'));
      return parts.join('; ');
    }
    case 'fetchurls': {
      const failures = Array.isArray(d.failures) ? d.failures.length : 0;
      const playlists = Array.isArray(d.imported_playlists) ? (d.imported_playlists as string[]) : [];
      const parts = [
        `Sheet ${String(d.sheet)}: ${plural(n(d, 'resolved'), 'link')} resolved, ${n(d, 'downloaded')} downloaded`,
        dry
          ? 'dry run, no playlists changed'
          : playlists.length > 0
            ? `replaced ${playlists.join(', ')}`
            : 'no playlist changed',
      ];
      if (failures > 0) parts.push(plural(failures, 'failure'));
      const wb = isDetail(d.writeback) ? d.writeback : null;
      if (wb) {
        parts.push(
          `${n(wb, 'ok')} written back to the workbook${n(wb, 'failed') > 0 ? `, ${n(wb, 'failed')} not` : ''}`,
        );
      }
      return parts.join('; ');
    }
    default:
      return null;
  }
}

export function runReport(job: string, status: RunStatus, detail: unknown): RunReport {
  const progress = status === 'running' ? runProgress(detail) : null;
  let summary = runSummary(status, detail);
  if (status === 'running' && progress) summary = progress.label;
  if (status === 'completed' && isDetail(detail)) summary = completed(job, detail) ?? summary;
  return { summary, progress, failures: status === 'completed' ? failureLines(detail) : [] };
}
