import { Global, Module, type DynamicModule, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource } from './data-source';

/**
 * Opens the SQLite database and runs pending migrations before anything else starts
 * (connect → migrate → ...). Feature modules inject DataSource and
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

/** Open the database and apply pending migrations; `log` hears which ones (tests pass a no-op). */
export async function openDatabase(
  dbPath: string,
  log: (message: string) => void = (message) => new Logger('Database').log(message),
): Promise<DataSource> {
  const dataSource = createDataSource(dbPath);
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length > 0) {
    log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  }
  return dataSource;
}
