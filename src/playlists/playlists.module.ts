import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { QueueModule } from '../queue/queue.module';
import { PlaylistsController } from './playlists.controller';
import { PlaylistsRepository } from './playlists.repository';
import { PlaylistsService } from './playlists.service';

/**
 * Saved playlists, the Admin Playlists page, import to live and the bulk text import.
 * Exports PlaylistsService (getWithItems, listPromoPools) for schedules and promos.
 */
@Module({
  imports: [CatalogModule, QueueModule],
  controllers: [PlaylistsController],
  providers: [PlaylistsRepository, PlaylistsService],
  exports: [PlaylistsService],
})
export class PlaylistsModule {}
