import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { HistoryModule } from '../history/history.module';
import { QueueModule } from '../queue/queue.module';
import { HomeController } from './home.controller';
import { HomeService } from './home.service';

/** The catalog's home page of rows (catalog, what plays now, what played lately). */
@Module({
  imports: [CatalogModule, QueueModule, HistoryModule],
  providers: [HomeService],
  controllers: [HomeController],
})
export class HomeModule {}
