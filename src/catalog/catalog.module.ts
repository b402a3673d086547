import { Module } from '@nestjs/common';
import { RenderedBodies } from '../common/http/rendered-bodies';
import { CatalogAdminController } from './catalog-admin.controller';
import { CatalogAdminService } from './catalog-admin.service';
import { CatalogController } from './catalog.controller';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { CatalogSyncRepository } from './catalog-sync.repository';
import { CatalogSyncService } from './catalog-sync.service';
import { CatalogViews } from './catalog.view';
import { ArtProviders } from './cover-art/art-providers';
import { CoverArtOptions, CoverArtService } from './cover-art/cover-art.service';
import { ImageStore } from './cover-art/image-store';
import { PlaceholderArt } from './cover-art/placeholder-art.service';
import { DataSource } from 'typeorm';
import { isPostgres } from '../database/data-source';
import { CatalogSearch } from './search/catalog-search.port';
import { PostgresTextSearch } from './search/postgres-text.search';
import { SqliteFtsSearch } from './search/sqlite-fts.search';

/**
 * The catalog: MediaCMS sync, full-text search (FTS5 or PostgreSQL), browse/detail pages, visibility rules, cover art.
 * Needs KrytenModule (MediaCmsClient) in the app. Exports CatalogService for pay-to-play and
 * the live queue.
 */
@Module({
  controllers: [CatalogController, CatalogAdminController],
  providers: [
    CatalogRepository,
    CatalogSyncRepository,
    {
      // The search adapter of the database in use (one port, same results contract).
      provide: CatalogSearch,
      inject: [DataSource, CatalogRepository],
      useFactory: (dataSource: DataSource, catalog: CatalogRepository): CatalogSearch =>
        isPostgres(dataSource)
          ? new PostgresTextSearch(dataSource, catalog)
          : new SqliteFtsSearch(dataSource, catalog),
    },
    CatalogService,
    CatalogSyncService,
    RenderedBodies,
    CatalogAdminService,
    CatalogViews,
    ArtProviders,
    ImageStore,
    PlaceholderArt,
    CoverArtService,
    { provide: CoverArtOptions, useValue: new CoverArtOptions() },
  ],
  exports: [CatalogService, CatalogAdminService, CatalogViews],
})
export class CatalogModule {}
