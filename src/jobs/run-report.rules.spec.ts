import { runProgress, runReport } from './run-report.rules';

describe('runReport (the dashboard, in words)', () => {
  it.each([
    [
      'enrichtitles',
      { scanned: 60, matched: 5, committed: 4, failed: 1, dry_run: false },
      'Cleaned 4 of 5 titles to change (60 scanned); 1 failed',
    ],
    [
      'enrichtitles',
      { scanned: 60, matched: 1, committed: 0, failed: 0, dry_run: true },
      'Would clean 1 title of 60 (dry run)',
    ],
    [
      'enrichmeta',
      { matched: 9, committed: 3, not_found: 4, not_better: 2, failed: 0 },
      'Enriched 3 movies of 9 candidates; 4 not found, 2 already as good',
    ],
    [
      'enrichtv',
      { matched: 2, would_enrich: 2, dry_run: true },
      'Would enrich 2 episodes of 2 candidates (dry run)',
    ],
    [
      'fetch',
      { uploaded: 2, duplicates: 1, added_to_playlist: 3, errors: ['x'] },
      'Uploaded 2 videos to MediaCMS; 1 already there; added to the playlist; 1 error',
    ],
    [
      'fetchurls',
      {
        sheet: '6.19-6.21',
        resolved: 5,
        downloaded: 1,
        imported_playlists: ['Friday Night'],
        failures: [{}],
        writeback: { ok: 4, failed: 0 },
      },
      'Sheet 6.19-6.21: 5 links resolved, 1 downloaded; replaced Friday Night; 1 failure; 4 written back to the workbook',
    ],
    ['catalog_sync', { seen: 3, new: 1 }, 'seen: 3, new: 1'],
  ])('%s %j → %s', (job, detail, summary) => {
    expect(runReport(job, 'completed', detail).summary).toBe(summary);
  });

  it('lists failures in words', () => {
    const r = runReport('fetchurls', 'completed', {
      failures: [{ row: 8, url: 'https://x/view?m=A', error: 'gone' }],
      errors: ['nothing uploaded to add to playlist'],
    });
    expect(r.failures).toEqual(['row 8: https://x/view?m=A — gone', 'nothing uploaded to add to playlist']);
    expect(runReport('enrichtitles', 'failed', { error: 'boom' })).toEqual({
      summary: 'boom',
      progress: null,
      failures: [],
    });
  });

  it.each([
    [
      { phase: 'fetching', fetched: 50, total: 200 },
      { label: 'Reading the library: 50 of 200', percent: 25 },
    ],
    [
      { phase: 'committing', done: 3, total: 4 },
      { label: 'Writing titles: 3 of 4', percent: 75 },
    ],
    [
      { phase: 'downloading', video: 2, videos: 4, percent: 50 },
      { label: 'Downloading video 2 of 4: 50%', percent: 38 },
    ],
    [
      { phase: 'downloading', video: 1, videos: 1, percent: 42.4 },
      { label: 'Downloading: 42%', percent: 42 },
    ],
    [{ phase: 'probing' }, { label: 'Asking yt-dlp what the link holds…', percent: null }],
    [
      { phase: 'resolving', done: 0, total: 0 },
      { label: 'Resolving links: 0 of 0', percent: null },
    ],
    [null, null],
  ])('progress %j → %j', (detail, progress) => {
    expect(runProgress(detail)).toEqual(progress);
  });
});
