import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { fixedHeaders } from '../common/http/fixed-headers';
import { securityHeaders } from '../app.setup';
import { SESSION_COOKIE } from '../auth/session.guard';
import { AppConfig } from '../config/app-config';
import { appVersion } from '../common/project-root';
import metadata from './metadata';

/**
 * The OpenAPI description of every JSON route, built from the code: the routes Nest knows, plus
 * the types @nestjs/swagger's plugin read from the sources (`metadata.ts`). HTML pages are left
 * out (`@ApiExcludeController`/`@ApiExcludeEndpoint` on them). Served at `/api/docs` (Swagger UI)
 * and `/api/docs/openapi.json`; `npm run openapi` writes the same document to docs/openapi.json.
 */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('webqueue')
    .setDescription(
      'Catalog browser and pay-to-play queue for a CyTube channel. Viewer and admin routes use the ' +
        `\`${SESSION_COOKIE}\` cookie from the one-time-code login; state-changing requests need an ` +
        'Origin of this site. The public read API (/api/public/v1) uses a linked device key.',
    )
    .setVersion(appVersion())
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, 'session')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A device key (wqk_…)' }, 'device')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return withoutEmptySchemas(document);
}

/**
 * A response typed only as "some object" says nothing, and whether the decorator metadata yields
 * it depends on the compiler (tsc or SWC): drop it so the document is the same from both.
 */
function isBareObject(schema: Record<string, unknown>): boolean {
  const keys = Object.keys(schema);
  if (keys.length === 1 && schema.type === 'object') return true;
  const items = schema.items as Record<string, unknown> | undefined;
  return keys.length === 2 && schema.type === 'array' && !!items && isBareObject(items);
}

function withoutEmptySchemas(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(
      item as Record<
        string,
        { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }
      >,
    )) {
      for (const res of Object.values(op?.responses ?? {})) {
        const json = res.content?.['application/json']?.schema as Record<string, unknown> | undefined;
        if (json && isBareObject(json)) delete res.content;
      }
    }
  }
  return document;
}

export async function mountApiDocs(app: INestApplication): Promise<void> {
  const document = await buildOpenApiDocument(app);
  // Swagger UI sets inline styles: allow them on its pages only (scripts stay 'self').
  const headers = securityHeaders(app.get(AppConfig));
  const csp = headers.contentSecurityPolicy as { directives: Record<string, string[]> };
  app.use(
    '/api/docs',
    fixedHeaders(
      helmet({
        ...headers,
        contentSecurityPolicy: {
          useDefaults: false,
          directives: { ...csp.directives, styleSrc: ["'self'", "'unsafe-inline'"] },
        },
      }),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs/openapi.json',
    yamlDocumentUrl: 'api/docs/openapi.yaml',
    customSiteTitle: 'webqueue API',
  });
}
