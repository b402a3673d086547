import { Injectable, Logger } from '@nestjs/common';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Sleeper } from '../../common/sleeper';
import { AppConfig } from '../../config/app-config';
import { MediaCmsClient } from '../../kryten/mediacms.client';
import { PlaylistsService } from '../../playlists/playlists.service';
import { JobError } from '../jobs.exception';
import { type JobContext } from '../jobs.types';
import { cleanVideoUrl, type Quality, recordsSource, uploadDescription, uploadTitle } from './fetch.rules';
import { YtDlp } from './ytdlp.runner';

/** Pause between the videos of a playlist (the sites' own limits). */
export const PLAYLIST_PACING_MS = 5000;

export interface FetchedVideo {
  source_url: string;
  token: string;
  title: string;
  duplicate: boolean;
}

export interface FetchResult {
  url: string;
  downloaded: number;
  uploaded: number;
  duplicates: number;
  tokens: string[];
  videos: FetchedVideo[];
  errors: string[];
  added_to_playlist: number | null;
}

/**
 * `fetch`: download with yt-dlp, upload to MediaCMS, optionally append to a saved playlist.
 * A source already uploaded (its URL recorded as "Original URL:" in a description) is reused,
 * not uploaded twice. Temp files live under `<image_dir>/../fetch-tmp` and are removed.
 */
@Injectable()
export class FetchJob {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly ytdlp: YtDlp,
    private readonly mediacms: MediaCmsClient,
    private readonly playlists: PlaylistsService,
    private readonly config: AppConfig,
    private readonly sleeper: Sleeper,
  ) {}

  async run(ctx: JobContext): Promise<FetchResult> {
    const raw = String(ctx.params.url ?? '');
    const url = cleanVideoUrl(raw);
    if (!url) throw new JobError(`Unsupported URL: ${raw} (only http and https links can be fetched)`);
    this.ytdlp.program();
    const quality = (ctx.params.quality as Quality | null) ?? 'medium';
    const maxVideos =
      typeof ctx.params.max_videos === 'number' && ctx.params.max_videos > 0 ? ctx.params.max_videos : 50;
    const result: FetchResult = {
      url,
      downloaded: 0,
      uploaded: 0,
      duplicates: 0,
      tokens: [],
      videos: [],
      errors: [],
      added_to_playlist: null,
    };
    // check the playlist before the long download, so a wrong id fails fast
    const playlistId = await this.targetPlaylist(ctx.params.add_to_playlist, result);

    await ctx.progress({ phase: 'probing', url });
    const probe = await this.ytdlp.probe(url, this.cookies(), ctx.signal);
    const entries =
      probe.kind === 'playlist'
        ? probe.entries.slice(0, maxVideos)
        : [{ index: 0, url: probe.webpage_url, title: probe.title }];
    if (probe.kind === 'playlist' && entries.length === 0) {
      throw new JobError(`The playlist at ${url} has no videos`);
    }
    for (const [i, entry] of entries.entries()) {
      ctx.signal.throwIfAborted();
      if (i > 0) await this.sleeper.sleep(PLAYLIST_PACING_MS);
      const report = (phase: string, percent: number): void =>
        void ctx.progress({
          phase,
          video: i + 1,
          videos: entries.length,
          percent,
          done: i,
          total: entries.length,
          title: entry.title,
        });
      try {
        const video = await this.fetchOne(
          probe.kind === 'playlist' ? url : probe.webpage_url,
          probe.kind === 'playlist' ? entry.index : null,
          probe.kind === 'playlist'
            ? entry.url && entry.url !== url && entry.url !== probe.webpage_url
              ? entry.url
              : `${url}#${entry.index}`
            : (entry.url ?? url),
          quality,
          ctx.signal,
          report,
        );
        if (video.duplicate) result.duplicates++;
        else {
          result.downloaded++;
          result.uploaded++;
        }
        result.tokens.push(video.token);
        result.videos.push(video);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        result.errors.push(
          `${entry.title ?? entry.url ?? `video ${i + 1}`}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    if (playlistId !== null) {
      if (result.tokens.length === 0) result.errors.push('nothing uploaded to add to playlist');
      else {
        await this.playlists.appendManifests(
          playlistId,
          result.tokens.map((t) => this.mediacms.manifestUrl(t)),
        );
        result.added_to_playlist = playlistId;
      }
    }
    if (result.tokens.length === 0 && result.errors.length > 0) {
      throw new JobError(`Nothing was fetched: ${result.errors.join('; ')}`);
    }
    return result;
  }

  /**
   * One video: reuse an earlier upload of the same source, else download and upload it.
   * `playlistItem` picks one entry of a playlist URL.
   */
  async fetchOne(
    url: string,
    playlistItem: number | null,
    sourceUrl: string,
    quality: Quality,
    signal: AbortSignal,
    report: (phase: string, percent: number) => void = () => undefined,
  ): Promise<FetchedVideo> {
    const existing = await this.findUpload(sourceUrl);
    if (existing) {
      return { source_url: sourceUrl, token: existing.token, title: existing.title, duplicate: true };
    }
    const root = join(dirname(this.config.image_dir), 'fetch-tmp');
    await mkdir(root, { recursive: true });
    const dir = await mkdtemp(join(root, 'job-'));
    try {
      report('downloading', 0);
      const file = await this.ytdlp.download(url, {
        quality,
        outDir: dir,
        playlistItem,
        cookiesPath: this.cookies(),
        onProgress: (pct) => report('downloading', pct),
        signal,
      });
      report('uploading', 100);
      const title = uploadTitle(file.title, sourceUrl);
      const uploaded = await this.mediacms.uploadMedia(
        file.filepath,
        { title, description: uploadDescription(file, sourceUrl) },
        signal,
      );
      this.logger.log(`fetched ${sourceUrl} → MediaCMS ${uploaded.friendly_token}`);
      return {
        source_url: sourceUrl,
        token: uploaded.friendly_token,
        title: uploaded.title,
        duplicate: false,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async findUpload(sourceUrl: string): Promise<{ token: string; title: string } | null> {
    const hits = await this.mediacms.search(sourceUrl);
    const hit = hits.find((h) => recordsSource(h.description ?? '', sourceUrl));
    return hit ? { token: hit.friendly_token, title: hit.title } : null;
  }

  private async targetPlaylist(value: unknown, result: FetchResult): Promise<number | null> {
    if (value === null || value === undefined || value === '') return null;
    const id = Number(value);
    if (!Number.isInteger(id) || id <= 0) {
      result.errors.push(`invalid playlist id: ${JSON.stringify(value)}`);
      return null;
    }
    if (!(await this.playlists.find(id))) throw new JobError(`playlist ${id} not found`);
    return id;
  }

  private cookies(): string | null {
    return this.config.fetch_cookies_path.trim() || null;
  }
}
