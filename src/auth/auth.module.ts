import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { SessionLocalsMiddleware } from './session-locals.middleware';
import { SessionGuard } from './session.guard';

/** Login by one-time code, sessions, guards. Global so every feature can use the guards. */
@Global()
@Module({ providers: [SessionGuard], exports: [SessionGuard] })
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionLocalsMiddleware).forRoutes('*path');
  }
}
