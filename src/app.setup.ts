import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IoAdapter } from '@nestjs/platform-socket.io';
import cookieParser from 'cookie-parser';
import hbs from 'hbs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './config/app-config';
import { GlobalExceptionFilter } from './common/http/exception.filter';
import { appVersion, projectRoot } from './common/project-root';
import { registerPartialsSync, registerViewHelpers } from './common/http/view-helpers';

/**
 * The whole HTTP edge, in one place, used by main.ts and by every e2e test:
 * validation, errors, cookies, views, static files, Socket.IO.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  const root = projectRoot();

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      stopAtFirstError: false,
    }),
  );
  app.useGlobalFilters(new GlobalExceptionFilter());
  app.use(cookieParser());
  app.disable('x-powered-by');
  // Believe X-Forwarded-For only from configured proxies (e.g. nginx on 127.0.0.1).
  app.set('trust proxy', config.trusted_proxies.length > 0 ? config.trusted_proxies : false);

  app.useStaticAssets(join(root, 'public'), { prefix: '/static/', maxAge: '1h' });
  mkdirSync(config.image_dir, { recursive: true });
  app.useStaticAssets(config.image_dir, { prefix: '/images/', maxAge: '30d' });

  app.setBaseViewsDir(join(root, 'views'));
  app.setViewEngine('hbs');
  registerPartialsSync(hbs, join(root, 'views', 'partials'));
  registerViewHelpers(hbs);
  app.set('view options', { layout: 'layouts/main' });
  app.setLocal('app_version', appVersion());
  app.setLocal('channel', config.channel);

  app.useWebSocketAdapter(new IoAdapter(app));
  app.enableShutdownHooks();
  return app;
}
