// DataSource for the TypeORM CLI (`npm run typeorm -- migration:run|migration:generate ...`).
// The database comes from WQ_DATABASE_URL or WQ_DB_PATH, else from the config named by WQ_CONFIG.
import 'reflect-metadata';
import { loadConfigFile, resolveConfigPath } from './src/config/config.loader';
import { createDataSource, databaseLocation } from './src/database/data-source';

function location(): string {
  if (process.env.WQ_DATABASE_URL) return process.env.WQ_DATABASE_URL;
  if (process.env.WQ_DB_PATH) return process.env.WQ_DB_PATH;
  return databaseLocation(loadConfigFile(resolveConfigPath(process.argv, process.env)).config);
}

export default createDataSource(location());
