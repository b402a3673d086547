import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { mountApiDocs } from './openapi/openapi';
import { isStartupUnavailable, preflight } from './cluster/preflight';
import { createAppLogger } from './common/logger';
import { ConfigError, loadConfigFile, resolveConfigPath } from './config/config.loader';

async function bootstrap(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfigFile(resolveConfigPath(process.argv, process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      // One clear message naming every bad key; no stack trace.
      process.stderr.write(`webqueue: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { config, path, unknownKeys } = loaded;
  const logger = createAppLogger(config.log_level, process.env.WQ_LOG_FORMAT !== 'text');
  for (const key of unknownKeys) logger.warn(`unknown config key "${key}" in ${path} (ignored)`, 'Config');

  try {
    await preflight(config);
  } catch (err) {
    if (isStartupUnavailable(err)) {
      process.stderr.write(`webqueue: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger });
  configureApp(app);
  await mountApiDocs(app);
  await app.listen(config.port, config.host);
  logger.log(`webqueue listening on http://${config.host}:${config.port} (config ${path})`, 'Bootstrap');
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`webqueue failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
