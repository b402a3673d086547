// DataSource for the TypeORM CLI (`npm run typeorm -- migration:run|migration:generate ...`).
// The database file comes from WQ_DB_PATH, else from the config named by WQ_CONFIG.
import 'reflect-metadata';
import { loadConfigFile, resolveConfigPath } from './src/config/config.loader';
import { createDataSource } from './src/database/data-source';

function dbPath(): string {
  if (process.env.WQ_DB_PATH) return process.env.WQ_DB_PATH;
  return loadConfigFile(resolveConfigPath(process.argv, process.env)).config.db_path;
}

export default createDataSource(dbPath());
