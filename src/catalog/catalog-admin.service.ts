import { Injectable, Logger } from '@nestjs/common';
import { MediaCmsClient } from '../kryten/mediacms.client';
import { HIDE_TAG } from './catalog.rules';
import { CatalogService } from './catalog.service';
import { CatalogSyncRepository } from './catalog-sync.repository';
import { type SyncLogEntity } from './entities/sync-log.entity';
import { CatalogSyncService } from './catalog-sync.service';

export interface HideResult {
  success: true;
  /** The MediaCMS tag write returned 200/201 (or the tags were already as wanted). */
  remote_ok: boolean;
}

/**
 * Admin catalog actions: Hide/Unhide (local tag at once, then MediaCMS
 * read-modify-write of the tags and the owner restored) and the sync controls.
 */
@Injectable()
export class CatalogAdminService {
  private readonly logger = new Logger('CatalogAdmin');

  constructor(
    private readonly catalog: CatalogService,
    private readonly writes: CatalogSyncRepository,
    private readonly sync: CatalogSyncService,
    private readonly mediacms: MediaCmsClient,
  ) {}

  /** @throws CatalogItemNotFoundException when unknown or gone. */
  async setHidden(token: string, hidden: boolean): Promise<HideResult> {
    const item = await this.catalog.getLiveItem(token);
    await this.writes.setHiddenTag(item.friendly_token, hidden);
    this.catalog.invalidate();
    return { success: true, remote_ok: await this.writeRemote(item.friendly_token, hidden) };
  }

  private async writeRemote(token: string, hidden: boolean): Promise<boolean> {
    let detail;
    try {
      detail = await this.mediacms.getMedia(token);
    } catch (err) {
      this.logger.warn(`hide ${token}: reading MediaCMS failed: ${String(err)}`);
      return false;
    }
    const has = detail.tags.includes(HIDE_TAG);
    if (has === hidden) return true;
    const tags = hidden ? [...detail.tags, HIDE_TAG] : detail.tags.filter((t) => t !== HIDE_TAG);
    try {
      await this.mediacms.updateTags(token, tags);
    } catch (err) {
      this.logger.warn(`hide ${token}: MediaCMS tag write failed: ${String(err)}`);
      return false;
    }
    // A MediaCMS PUT hands the media to our token's user: give it back (best effort).
    if (detail.user) {
      try {
        await this.mediacms.changeOwner(token, detail.user);
      } catch (err) {
        this.logger.warn(`hide ${token}: restoring owner ${detail.user} failed: ${String(err)}`);
      }
    }
    return true;
  }

  /** Set by the job manager: "Sync now" then runs as job `catalog_sync` (recorded in job_runs). */
  private syncStarter: ((triggeredBy: string) => Promise<boolean>) | null = null;

  useSyncStarter(start: (triggeredBy: string) => Promise<boolean>): void {
    this.syncStarter = start;
  }

  /** Admin "Sync now": fire-and-forget, single-flight. */
  async syncNow(username: string): Promise<{ success: boolean; message: string }> {
    const started = this.syncStarter
      ? await this.syncStarter(`admin:${username}`)
      : this.sync.startSync(`admin:${username}`);
    return started
      ? { success: true, message: 'Sync started' }
      : { success: false, message: 'Sync already running' };
  }

  syncLogs(limit = 10): Promise<SyncLogEntity[]> {
    return this.writes.recentLogs(limit);
  }
}
