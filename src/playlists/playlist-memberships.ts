import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlaylistMembership } from '../catalog/catalog.rules';
import { ReservedMemberships } from '../catalog/reserved-memberships.port';
import { ClusterBus } from '../cluster/cluster-bus';
import { Clock } from '../common/clock';
import { CommonModule } from '../common/common.module';
import { SavedPlaylistItemEntity } from './entities/saved-playlist-item.entity';

/** Told to every instance when a saved playlist changed. */
const CHANGED_CHANNEL = 'playlists.memberships';
/**
 * A safety net only: every write through PlaylistsRepository moves the version at once. A row
 * written some other way (a tool on the database) is seen within this long.
 */
const REREAD_AFTER_MS = 60_000;

/**
 * Every item of an immutable playlist or a promo pool, as the catalog's reservation rule needs
 * it. Every browse and search asks, so the answer is kept until a playlist changes.
 */
@Injectable()
export class PlaylistMemberships extends ReservedMemberships {
  version = 0;
  private cached: { version: number; at: number; rows: Promise<PlaylistMembership[]> } | null = null;
  /** The last answer read, to tell whether a re-read after the safety interval differs. */
  private lastSignature: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: ClusterBus,
    private readonly clock: Clock,
  ) {
    super();
    this.bus.subscribe(CHANGED_CHANNEL, () => this.forget());
  }

  list(): Promise<PlaylistMembership[]> {
    const now = this.clock.nowMs();
    const hit = this.cached;
    if (hit && hit.version === this.version && now - hit.at < REREAD_AFTER_MS) return hit.rows;
    const version = this.version;
    const rows = this.read().then((answer) => {
      const signature = JSON.stringify(answer);
      // Changed behind our back: whatever was cached under the old version is stale.
      if (this.lastSignature !== null && signature !== this.lastSignature && this.version === version) {
        this.version++;
        this.cached = { version: this.version, at: now, rows };
      }
      this.lastSignature = signature;
      return answer;
    });
    // A failed read is not kept.
    rows.catch(() => {
      if (this.cached?.rows === rows) this.cached = null;
    });
    this.cached = { version, at: now, rows };
    return rows;
  }

  /** A saved playlist was written here: forget the answer, and tell the other instances. */
  changed(): void {
    this.forget();
    this.bus.publish(CHANGED_CHANNEL, {});
  }

  private forget(): void {
    this.version++;
    this.cached = null;
  }

  private async read(): Promise<PlaylistMembership[]> {
    const rows = await this.dataSource
      .getRepository(SavedPlaylistItemEntity)
      .createQueryBuilder('i')
      .innerJoin('i.playlist', 'p')
      .select(['i.media_type AS media_type', 'i.media_id AS media_id'])
      .addSelect('p.is_immutable', 'is_immutable')
      .addSelect('p.promo_type', 'promo_type')
      .where('p.is_immutable = :yes OR p.promo_type IS NOT NULL', { yes: true })
      .getRawMany<{
        media_type: string | null;
        media_id: string;
        is_immutable: number | boolean;
        promo_type: string | null;
      }>();
    return rows.map((r) => ({ ...r, is_immutable: Boolean(r.is_immutable) }));
  }
}

/**
 * Global, so the catalog (which the playlists module itself builds on) can be given its
 * ReservedMemberships without a module cycle; PlaylistsRepository tells it of every write.
 */
@Global()
@Module({
  imports: [CommonModule],
  providers: [PlaylistMemberships, { provide: ReservedMemberships, useExisting: PlaylistMemberships }],
  exports: [ReservedMemberships, PlaylistMemberships],
})
export class PlaylistMembershipsModule {}
