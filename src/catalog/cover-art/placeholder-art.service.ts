import { Injectable } from '@nestjs/common';
import { readdir } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { Clock } from '../../common/clock';
import { RandomSource } from '../../common/random';
import { AppConfig } from '../../config/app-config';

/** The placeholder listing is re-read at most this often (§7.9: 300 s). */
export const PLACEHOLDER_TTL_MS = 300_000;
const IMAGE_RE = /\.(webp|png|jpe?g|gif|avif|svg)$/i;

/**
 * Branded placeholder posters from `placeholder_dir` (served under `/images/`, so the folder
 * must sit inside `image_dir`). One random pick per tile, through the injected RandomSource.
 */
@Injectable()
export class PlaceholderArt {
  private cache: { at: number; urls: string[] } | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async urls(): Promise<string[]> {
    const now = this.clock.nowMs();
    if (this.cache && now - this.cache.at < PLACEHOLDER_TTL_MS) return this.cache.urls;
    const urls = await this.read();
    this.cache = { at: now, urls };
    return urls;
  }

  /** A picker for one page render: each call returns a random placeholder URL (or null). */
  async picker(): Promise<() => string | null> {
    const urls = await this.urls();
    return () => (urls.length === 0 ? null : urls[this.random.int(urls.length)]);
  }

  private async read(): Promise<string[]> {
    const rel = relative(this.config.image_dir, this.config.placeholder_dir);
    if (rel.startsWith('..') || isAbsolute(rel)) return [];
    try {
      const files = (await readdir(this.config.placeholder_dir, { withFileTypes: true }))
        .filter((f) => f.isFile() && IMAGE_RE.test(f.name))
        .map((f) => f.name)
        .sort();
      const prefix = rel === '' ? '/images' : `/images/${rel.split(sep).map(encodeURIComponent).join('/')}`;
      return files.map((f) => `${prefix}/${encodeURIComponent(f)}`);
    } catch {
      return [];
    }
  }
}
