import { ConsoleLogger, type DynamicModule, type LogLevel, type Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { mountApiDocs } from '../../src/openapi/openapi';
import type { AppConfig } from '../../src/config/app-config';
import { testConfig } from './config';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** Base URL of the listening app, e.g. http://127.0.0.1:41234 */
  url: string;
  get<T>(token: Type<T>): T;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: AppConfig;
  configOverrides?: Record<string, unknown>;
  /** Replace providers, e.g. builder.overrideProvider(Clock).useValue(clock). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Extra modules beside the app's (e.g. a probe feature with guarded routes). */
  imports?: ModuleImport[];
  /** A JSON logger at these levels instead of the quiet default (errors only, as text). */
  logLevels?: LogLevel[];
}

type ModuleImport = Type | DynamicModule;

/**
 * The whole app exactly as main.ts builds it (configureApp), on a fresh database copy,
 * listening on a random loopback port, with no @Interval timers (tests call tick()).
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = options.config ?? testConfig(options.configOverrides);
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(config, { schedule: false }), ...(options.imports ?? [])],
  });
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    logger: options.logLevels ? new ConsoleLogger({ json: true, logLevels: options.logLevels }) : ['error'],
  });
  configureApp(app);
  await mountApiDocs(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    get: <T>(token: Type<T>) => app.get(token),
    close: () => app.close(),
  };
}
