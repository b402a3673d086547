import type { NestExpressApplication } from '@nestjs/platform-express';
import { REDIS, type RedisConnections } from './cluster/cluster.module';
import { LiveIoAdapter } from './live/live-io.adapter';
import { RedisIoAdapter } from './live/redis-io.adapter';
import cookieParser from 'cookie-parser';
import helmet, { type HelmetOptions } from 'helmet';
import hbs from 'hbs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './config/app-config';
import { RandomSource } from './common/random';
import { MetricsService } from './metrics/metrics.service';
import { bodyGuard } from './common/http/body-guard';
import { fixedHeaders } from './common/http/fixed-headers';
import { GlobalExceptionFilter } from './common/http/exception.filter';
import { QueryValidationPipe } from './common/http/query-validation.pipe';
import { requestContext } from './common/http/request-context';
import { appVersion, projectRoot } from './common/project-root';
import { registerPartialsSync, registerViewHelpers, warmViews } from './common/http/view-helpers';

/** The largest request body accepted (the biggest legitimate one is a bulk playlist import). */
const BODY_LIMIT = '512kb';

/**
 * The whole HTTP edge, in one place, used by main.ts and by every e2e test:
 * validation, errors, cookies, views, static files, Socket.IO.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  const root = projectRoot();

  app.useGlobalPipes(
    new QueryValidationPipe({
      whitelist: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      stopAtFirstError: false,
    }),
  );
  app.use(requestContext(app.get(MetricsService).observeRequest));
  app.useGlobalFilters(new GlobalExceptionFilter());
  // Parsers first, then the guard: a body too large, too deep or with prototype keys is a 4xx
  // before any validator or route sees it.
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(bodyGuard);
  app.use(fixedHeaders(helmet(securityHeaders(config))));
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
  warmViews(hbs, join(root, 'views'), join(root, 'views', 'partials'));
  app.set('view options', { layout: 'layouts/main' });
  // Compile each template once, whatever NODE_ENV says (Express caches only in production).
  app.set('view cache', true);
  app.setLocal('app_version', appVersion());
  app.setLocal('channel', config.channel);

  // Several instances share Socket.IO rooms through Redis; one instance keeps them in memory.
  const redis = app.get<RedisConnections | null>(REDIS);
  const random = app.get(RandomSource);
  app.useWebSocketAdapter(redis ? new RedisIoAdapter(app, random, redis) : new LiveIoAdapter(app, random));
  // Only the stop signals: SIGUSR2 stays free for a heap snapshot (`--heapsnapshot-signal`).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/**
 * helmet's headers with a Content-Security-Policy our pages pass: scripts, styles and sockets from
 * this site only (no inline script or style anywhere in views/ or public/), images also from
 * MediaCMS (catalog thumbnails are absolute URLs there) and https, no framing by other sites.
 */
export function securityHeaders(config: AppConfig): HelmetOptions {
  const imageHosts = [config.mediacms_url, config.tmdb_image_url].flatMap((url) => {
    try {
      return [new URL(url).origin];
    } catch {
      return [];
    }
  });
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:', ...imageHosts],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // TLS is nginx's business (deploy/); over plain HTTP the header means nothing anyway.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'same-origin' },
  };
}
