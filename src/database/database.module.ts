import { Global, Module, type DynamicModule, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource } from './data-source';

/**
 * Opens the SQLite database and runs pending migrations before anything else starts
 * (PRODUCT.md §7.1: connect → migrate → ...). Feature modules inject DataSource and
 * build their own repositories from it.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => openDatabase(config.db_path),
        },
      ],
      exports: [DataSource],
    };
  }
}

export async function openDatabase(dbPath: string): Promise<DataSource> {
  const dataSource = createDataSource(dbPath);
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length > 0) {
    new Logger('Database').log(
      `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
    );
  }
  return dataSource;
}
