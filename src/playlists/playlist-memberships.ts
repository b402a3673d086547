import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlaylistMembership } from '../catalog/catalog.rules';
import { ReservedMemberships } from '../catalog/reserved-memberships.port';
import { SavedPlaylistItemEntity } from './entities/saved-playlist-item.entity';

/** Every item of an immutable playlist or a promo pool, as the catalog's reservation rule needs it. */
@Injectable()
export class PlaylistMemberships extends ReservedMemberships {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async list(): Promise<PlaylistMembership[]> {
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
 * ReservedMemberships without a module cycle.
 */
@Global()
@Module({
  providers: [{ provide: ReservedMemberships, useClass: PlaylistMemberships }],
  exports: [ReservedMemberships],
})
export class PlaylistMembershipsModule {}
