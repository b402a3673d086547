import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppConfig } from '../../config/app-config';
import { ART_WIDTHS, artDirFromDigest } from './cover-art.rules';

/** Image downloads give up after this long (§7.9: 15 s). */
const DOWNLOAD_TIMEOUT_MS = 15_000;
/** And refuse anything bigger than this. */
const MAX_BYTES = 20 * 1024 * 1024;

/**
 * Cover-art files: download, convert to RGB WebP q80 at 200/400/800 px wide (never upscaled)
 * under `image_dir/<md5(token)[:8]>/<w>.webp`. sharp works off the main thread.
 */
@Injectable()
export class ImageStore {
  constructor(private readonly config: AppConfig) {}

  dirFor(token: string): string {
    return artDirFromDigest(createHash('md5').update(token).digest('hex'));
  }

  async download(url: string): Promise<Buffer> {
    const res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`image download HTTP ${res.status}`);
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_BYTES) {
      await res.body?.cancel();
      throw new Error('image too large');
    }
    const buf = Buffer.from(await res.arrayBuffer());
    if (buf.length > MAX_BYTES) throw new Error('image too large');
    return buf;
  }

  /** Writes the three WebP sizes; returns the directory name (the `cover_art_path`). */
  async save(token: string, image: Buffer): Promise<string> {
    const name = this.dirFor(token);
    const dir = join(this.config.image_dir, name);
    await mkdir(dir, { recursive: true });
    const source = sharp(image, { failOn: 'error', limitInputPixels: 100_000_000 })
      .rotate()
      .flatten({ background: '#000000' })
      .toColourspace('srgb');
    for (const width of ART_WIDTHS) {
      const file = join(dir, `${width}.webp`);
      await source
        .clone()
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toFile(`${file}.tmp`);
      await rename(`${file}.tmp`, file);
    }
    return name;
  }
}
