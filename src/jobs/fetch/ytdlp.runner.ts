import { Injectable } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { AppConfig } from '../../config/app-config';
import { JobError } from '../jobs.exception';
import { ToolLocator } from '../tool-locator';
import { downloadPercent, formatFor, type Quality } from './fetch.rules';

/**
 * yt-dlp as a child process. `probe` lists what a URL holds (one video or a playlist);
 * `download` fetches one entry into a directory and reports its file and metadata. An aborted
 * signal kills the child; its stderr tail becomes the error message.
 */

export interface ProbeResult {
  kind: 'video' | 'playlist';
  title: string;
  /** Playlist entries in order (a URL per entry when yt-dlp knows one). */
  entries: { index: number; url: string | null; title: string | null }[];
  webpage_url: string;
}

export interface Downloaded {
  filepath: string;
  title: string;
  description: string;
  webpage_url: string;
  uploader: string | null;
}

export interface DownloadOptions {
  quality: Quality;
  outDir: string;
  /** 1-based playlist position to fetch alone; null for a single video. */
  playlistItem: number | null;
  cookiesPath: string | null;
  onProgress?: (percent: number) => void;
  signal: AbortSignal;
}

const PRINT_FIELDS = '%(.{filepath,title,description,webpage_url,uploader})j';

@Injectable()
export class YtDlp {
  constructor(
    private readonly config: AppConfig,
    private readonly tools: ToolLocator,
  ) {}

  /** The program to run, or a JobError saying it is missing. */
  program(): string {
    const configured = this.config.ytdlp_path;
    const found = configured.includes('/')
      ? this.tools.fileExists(configured)
        ? configured
        : null
      : this.tools.which(configured);
    if (!found) {
      throw new JobError(
        'yt-dlp is not installed on this server (install the Debian package yt-dlp, or set ytdlp_path)',
      );
    }
    return found;
  }

  async probe(url: string, cookiesPath: string | null, signal: AbortSignal): Promise<ProbeResult> {
    const args = [
      '-J',
      '--flat-playlist',
      '--no-warnings',
      '--no-progress',
      ...cookies(cookiesPath),
      '--',
      url,
    ];
    const { stdout } = await this.exec(args, signal);
    let info: Record<string, unknown>;
    try {
      info = JSON.parse(stdout) as Record<string, unknown>;
    } catch {
      throw new JobError(`yt-dlp gave no readable answer for ${url}`);
    }
    const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    if (info._type === 'playlist' && Array.isArray(info.entries)) {
      return {
        kind: 'playlist',
        title: str(info.title) ?? url,
        webpage_url: str(info.webpage_url) ?? url,
        entries: (info.entries as Record<string, unknown>[]).map((e, i) => ({
          index: i + 1,
          url: (str(e.url)?.startsWith('http') ? str(e.url) : null) ?? str(e.webpage_url),
          title: str(e.title),
        })),
      };
    }
    return {
      kind: 'video',
      title: str(info.title) ?? url,
      webpage_url: str(info.webpage_url) ?? url,
      entries: [],
    };
  }

  async download(url: string, options: DownloadOptions): Promise<Downloaded> {
    const args = [
      '-f',
      formatFor(options.quality),
      '--no-warnings',
      '--newline',
      '--progress',
      '--restrict-filenames',
      '--no-part',
      '--no-mtime',
      '-o',
      `${options.outDir}/%(id)s.%(ext)s`,
      '--print',
      `after_move:${PRINT_FIELDS}`,
      ...(options.playlistItem !== null
        ? ['--yes-playlist', '--playlist-items', String(options.playlistItem)]
        : ['--no-playlist']),
      ...cookies(options.cookiesPath),
      '--',
      url,
    ];
    const { stdout } = await this.exec(args, options.signal, (line) => {
      const pct = downloadPercent(line);
      if (pct !== null) options.onProgress?.(pct);
    });
    const line = stdout
      .split('\n')
      .map((l) => l.trim())
      .reverse()
      .find((l) => l.startsWith('{'));
    if (!line) throw new JobError(`yt-dlp downloaded nothing from ${url}`);
    const info = JSON.parse(line) as Record<string, unknown>;
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    if (!str(info.filepath)) throw new JobError(`yt-dlp did not say where it saved ${url}`);
    return {
      filepath: str(info.filepath),
      title: str(info.title),
      description: str(info.description),
      webpage_url: str(info.webpage_url) || url,
      uploader: str(info.uploader) || null,
    };
  }

  private exec(
    args: string[],
    signal: AbortSignal,
    onLine?: (line: string) => void,
  ): Promise<{ stdout: string }> {
    const program = this.program();
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const child = spawn(program, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        signal,
        killSignal: 'SIGKILL',
      });
      let stdout = '';
      let stderr = '';
      let partial = '';
      const lines = (chunk: string): void => {
        if (!onLine) return;
        partial += chunk;
        const parts = partial.split(/\r?\n|\r/);
        partial = parts.pop() ?? '';
        parts.forEach(onLine);
      };
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        lines(c);
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr = (stderr + c).slice(-4000);
        lines(c);
      });
      child.on('error', (err) => {
        if (signal.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
        else reject(new JobError(`yt-dlp could not start: ${err.message}`));
      });
      child.on('close', (code) => {
        if (signal.aborted) {
          return reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
        }
        if (code === 0) return resolve({ stdout });
        const why = stderr
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('ERROR:'))
          .pop();
        reject(
          new JobError(why ? `yt-dlp: ${why.replace(/^ERROR:\s*/, '')}` : `yt-dlp exited with code ${code}`),
        );
      });
    });
  }
}

function cookies(path: string | null): string[] {
  return path ? ['--cookies', path] : [];
}
