import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { CatalogService } from '../catalog/catalog.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { type ImportProgressEvent, LiveEvent } from '../live/live.events';
import { type BulkAddProgress, BulkAddService } from '../queue/bulk-add.service';
import { BulkLoadGate } from '../queue/bulk-load.gate';
import { QueueMutex } from '../queue/queue-mutex';
import type { CreatePlaylistDto, PlaylistItemDto, UpdatePlaylistDto } from './dto/playlist.dto';
import { type SavedPlaylistItemEntity } from './entities/saved-playlist-item.entity';
import { type SavedPlaylistEntity } from './entities/saved-playlist.entity';
import { NoRecentPlaylistException, PlaylistNotFoundException } from './playlists.exception';
import { type NewItem, type PlaylistSummary, PlaylistsRepository } from './playlists.repository';
import { hidesItems, visibilityChanged } from './playlists.rules';
import {
  type CatalogHit,
  parseTextImport,
  referencedTokens,
  type TextImportResult,
} from './text-import.rules';

/** Emitted after any change to saved playlists: `{playlist_id, change}` (promos, schedules). */
export const PLAYLISTS_CHANGED = 'playlists.changed';
export interface PlaylistsChangedEvent {
  playlist_id: number;
  change: 'created' | 'updated' | 'deleted' | 'items';
}

export type PlaylistWithItems = SavedPlaylistEntity & { items: SavedPlaylistItemEntity[] };

export interface AppendResult {
  success: true;
  playlist_id: number;
  name: string;
  count: number;
}

export type ImportResult =
  | {
      success: true;
      added: number;
      errors: number;
      /** Each item that could not be added, with CyTube's reason. */
      failures: { position: number; title: string | null; error: string }[];
    }
  | { success: false; error: string };

/**
 * Saved playlists. Reserved (immutable) playlists
 * and promo pools hide their items from the catalog: every change that can move that set calls
 * the catalog's invalidation at once.
 */
@Injectable()
export class PlaylistsService {
  private readonly logger = new Logger('Playlists');
  /** Item writes run one at a time (MAX(position)+1 and the unique position index). */
  private itemWrites: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: PlaylistsRepository,
    private readonly catalog: CatalogService,
    private readonly bulk: BulkAddService,
    private readonly mutex: QueueMutex,
    private readonly gate: BulkLoadGate,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  list(): Promise<PlaylistSummary[]> {
    return this.repo.list();
  }

  /** @throws PlaylistNotFoundException */
  async get(id: number): Promise<SavedPlaylistEntity> {
    const playlist = await this.repo.find(id);
    if (!playlist) throw new PlaylistNotFoundException();
    return playlist;
  }

  /** The playlist and its items by position. @throws PlaylistNotFoundException */
  async getWithItems(id: number): Promise<PlaylistWithItems> {
    const playlist = await this.get(id);
    return { ...playlist, items: await this.repo.itemsOf(id) };
  }

  /** The playlist and its items by position, or null when it is gone (a schedule's fire). */
  async findWithItems(
    id: number,
  ): Promise<{ playlist: SavedPlaylistEntity; items: SavedPlaylistItemEntity[] } | null> {
    const playlist = await this.repo.find(id);
    return playlist ? { playlist, items: await this.repo.itemsOf(id) } : null;
  }

  find(id: number): Promise<SavedPlaylistEntity | null> {
    return this.repo.find(id);
  }

  /** id → name (schedules' tables and banners); unknown and null ids are left out. */
  names(ids: readonly (number | null)[]): Promise<Map<number, string>> {
    return this.repo.names([...new Set(ids.filter((id): id is number => id !== null))]);
  }

  /** Playlists for the schedule page's selects (promo pools left out). */
  async options(): Promise<{ id: number; name: string; is_immutable: boolean }[]> {
    return (await this.repo.nonPromo()).map((p) => ({
      id: p.id,
      name: p.name,
      is_immutable: Boolean(p.is_immutable),
    }));
  }

  immutableIds(): Promise<number[]> {
    return this.repo.immutableIds();
  }

  /** A reservation's time is up: the playlist is no longer immutable, its items return to the catalog. */
  async releaseReservations(ids: readonly number[], at: Date): Promise<void> {
    for (const id of ids) {
      await this.repo.update(id, { is_immutable: false, updated_at: at });
      this.changed(id, 'updated', true);
    }
  }

  /** Every promo pool (promo_type not null) with its items, for the promo director. */
  async listPromoPools(): Promise<{ playlist: SavedPlaylistEntity; items: SavedPlaylistItemEntity[] }[]> {
    const pools = await this.repo.promoPools();
    const items = await this.repo.itemsOfMany(pools.map((p) => p.id));
    return pools.map((playlist) => ({ playlist, items: items.get(playlist.id) ?? [] }));
  }

  async create(username: string, dto: CreatePlaylistDto): Promise<{ id: number }> {
    const now = this.clock.now();
    const id = await this.repo.create({
      name: dto.name,
      description: dto.description ?? null,
      is_immutable: dto.is_immutable ?? false,
      promo_type: dto.promo_type ?? null,
      created_by: username,
      created_at: now,
      updated_at: now,
    });
    // A new playlist has no items yet, so the catalog's hidden set cannot have moved.
    this.changed(id, 'created', false);
    return { id };
  }

  /** Partial update of name, description, is_immutable, promo_type; bumps updated_at. */
  async update(id: number, dto: UpdatePlaylistDto): Promise<{ success: true }> {
    const before = await this.get(id);
    const changes: Partial<SavedPlaylistEntity> = { updated_at: this.clock.now() };
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.is_immutable !== undefined) changes.is_immutable = dto.is_immutable;
    if (dto.promo_type !== undefined) changes.promo_type = dto.promo_type;
    await this.repo.update(id, changes);
    const after = { ...before, ...changes };
    this.changed(id, 'updated', visibilityChanged(before, after));
    return { success: true };
  }

  async remove(id: number): Promise<{ success: true }> {
    const before = await this.get(id);
    if (!(await this.repo.remove(id))) throw new PlaylistNotFoundException();
    this.changed(id, 'deleted', hidesItems(before));
    return { success: true };
  }

  async replaceItems(
    id: number,
    items: readonly PlaylistItemDto[],
  ): Promise<{ success: true; count: number }> {
    const playlist = await this.get(id);
    const rows = items.map(toNewItem);
    const count = await this.serial(() => this.repo.replaceItems(id, rows, this.clock.now()));
    this.changed(id, 'items', hidesItems(playlist));
    return { success: true, count };
  }

  /** Append one catalog item (unfiltered lookup: reserved and hidden items may be added). */
  async append(id: number, token: string): Promise<AppendResult> {
    const playlist = await this.get(id);
    return this.appendTo(playlist, token);
  }

  /**
   * Append manifest items that may not be in the local catalog yet (fresh uploads): title and
   * duration are left for CyTube to read from the manifest.
   */
  async appendManifests(id: number, manifestUrls: readonly string[]): Promise<{ count: number }> {
    const playlist = await this.get(id);
    let count = 0;
    for (const url of manifestUrls) {
      const row = { media_type: 'cm', media_id: url, title: null, duration_sec: null };
      count = await this.serial(() => this.repo.append(playlist.id, row, this.clock.now()));
    }
    this.changed(playlist.id, 'items', hidesItems(playlist));
    return { count };
  }

  /**
   * The weekend workbook's fixed playlists: find one by name (any creator, lowest id) and
   * replace its items keeping its flag and owner, or create it immutable.
   */
  async replaceByName(
    name: string,
    createdBy: string,
    items: readonly PlaylistItemDto[],
  ): Promise<{ id: number; created: boolean; count: number }> {
    const existing = await this.repo.firstByName(name);
    const id = existing?.id ?? (await this.create(createdBy, { name, is_immutable: true })).id;
    const { count } = await this.replaceItems(id, items);
    return { id, created: existing === null, count };
  }

  /** Append to the admin's newest playlist. @throws NoRecentPlaylistException (409) */
  async appendRecent(username: string, token: string): Promise<AppendResult> {
    const playlist = await this.repo.newestBy(username);
    if (!playlist) throw new NoRecentPlaylistException();
    return this.appendTo(playlist, token);
  }

  /**
   * Load the playlist at the end of the live CyTube queue, throttled, under the QueueMutex (no
   * purchase or promo lands between its items) and marked as a bulk load.
   */
  async importToLive(id: number): Promise<ImportResult> {
    const { items } = await this.getWithItems(id);
    if (items.length === 0) return { success: false, error: 'Playlist is empty' };
    const progress = (p: BulkAddProgress): void => {
      this.events.emit(LiveEvent.ImportProgress, {
        playlist_id: id,
        done: p.done,
        total: p.total,
        failed: p.failed && { position: p.failed.index + 1, title: p.failed.title, error: p.failed.error },
      } satisfies ImportProgressEvent);
    };
    const result = await this.mutex.runExclusive(() =>
      this.gate.during('import to live', () => this.bulk.addAll(items, progress)),
    );
    this.logger.log(`import of playlist ${id}: ${result.added} added, ${result.errors} errors`);
    return {
      success: true,
      added: result.added,
      errors: result.errors,
      failures: result.failures.map((f) => ({
        position: f.index + 1,
        title: items[f.index]?.title ?? null,
        error: f.error,
      })),
    };
  }

  /** Stateless parse of the bulk-import text; catalog tokens are looked up in one batch. */
  async parseText(text: string): Promise<TextImportResult> {
    const options = { mediacmsUrl: this.config.mediacms_url };
    const tokens = referencedTokens(text, options);
    const found = await this.catalog.findForQueue(tokens.map((friendly_token) => ({ friendly_token })));
    const lookup = (token: string): CatalogHit | null => {
      const item = found.get(token);
      if (!item || item.friendly_token !== token || item.gone_at !== null) return null;
      return { manifest_url: item.manifest_url, title: item.title, duration_sec: item.duration_sec };
    };
    return parseTextImport(text, lookup, options);
  }

  private async appendTo(playlist: SavedPlaylistEntity, token: string): Promise<AppendResult> {
    const item = await this.catalog.getLiveItem(token, 'Catalog item not found');
    const row = {
      media_type: 'cm',
      media_id: item.manifest_url,
      title: item.title,
      duration_sec: item.duration_sec,
    };
    const count = await this.serial(() => this.repo.append(playlist.id, row, this.clock.now()));
    this.changed(playlist.id, 'items', hidesItems(playlist));
    return { success: true, playlist_id: playlist.id, name: playlist.name, count };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.itemWrites.then(work, work);
    this.itemWrites = run.catch(() => undefined);
    return run;
  }

  /** Tell the catalog (when what it hides may have moved) and anyone listening. */
  private changed(id: number, change: PlaylistsChangedEvent['change'], catalogVisibility: boolean): void {
    if (catalogVisibility) this.catalog.invalidate();
    this.events.emit(PLAYLISTS_CHANGED, { playlist_id: id, change } satisfies PlaylistsChangedEvent);
  }
}

function toNewItem(item: PlaylistItemDto): NewItem {
  return {
    media_type: item.media_type,
    media_id: item.media_id.trim(),
    title: item.title ?? null,
    duration_sec: item.duration_sec ?? null,
  };
}
