import { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small downloadable video for yt-dlp's generic extractor: `/videos/<name>.mp4` serves the
 * same 2-second MP4 under any name (Range requests included), and `/videos/list/<n>.html` is a
 * page with n `<video>` tags, which yt-dlp reads as a playlist of n entries.
 */

function samplePath(): string {
  // sim/http (ts-node, jest) or dist/sim/http (built)
  for (const candidate of [
    join(__dirname, '..', 'assets', 'sample.mp4'),
    join(__dirname, '..', '..', '..', 'sim', 'assets', 'sample.mp4'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('sim/assets/sample.mp4 is missing');
}

export function videosRouter(): Router {
  const r = Router();
  const file = samplePath();
  r.get('/videos/list/:count.html', (req, res) => {
    const n = Math.min(20, Math.max(1, Number.parseInt(String(req.params.count), 10) || 1));
    const videos = Array.from(
      { length: n },
      (_, i) => `<video controls src="/videos/list-item-${i + 1}.mp4"></video>`,
    ).join('\\n');
    res
      .type('text/html')
      .send(`<!doctype html><html><head><title>Weekend picks</title></head><body>${videos}</body></html>`);
  });
  r.get('/videos/:name.mp4', (_req, res) => {
    res.sendFile(file, { headers: { 'Content-Type': 'video/mp4' } });
  });
  return r;
}
