import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { join } from 'node:path';
import { AppModule } from '../app.module';
import { parseConfig } from '../config/config.loader';
import { buildOpenApiDocument } from './openapi';

/**
 * docs/openapi.json's text: the document of an app built on a throw-away database in `dir`
 * (no timers, nothing listening), keys sorted so the file only changes when the API does.
 */
export async function openApiJson(dir: string): Promise<string> {
  const { config } = parseConfig({
    secret_key: 'openapi-generation-only-0123456789abcdef',
    api_gate_token: 'unused',
    mediacms_token: 'unused',
    db_path: join(dir, 'openapi.db'),
    image_dir: join(dir, 'images'),
    placeholder_dir: join(dir, 'images', 'placeholders'),
    prometheus_port: 0,
  });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { schedule: false }),
    {
      logger: ['error'],
    },
  );
  try {
    return `${stableJson(await buildOpenApiDocument(app))}\n`;
  } finally {
    await app.close();
  }
}

export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2);
}
