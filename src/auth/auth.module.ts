import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminRankService } from './admin-rank.service';
import { AuthCleanupService } from './auth-cleanup.service';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { CsrfGuard } from './csrf.guard';
import { OtpService } from './otp.service';
import { SessionLocalsMiddleware } from './session-locals.middleware';
import { SessionRevocations } from './session-revocations.service';
import { SessionGuard } from './session.guard';
import { UserProfileController } from './user-profile.controller';

/**
 * Login by one-time code, sessions, guards, CSRF. Global so every feature can use the guards
 * (SessionGuard needs SessionRevocations and AdminRankService, hence exported too). Needs
 * KrytenModule (ApiGateClient) in the app.
 */
@Global()
@Module({
  controllers: [AuthController, UserProfileController],
  providers: [
    SessionGuard,
    SessionRevocations,
    AdminRankService,
    AuthRepository,
    OtpService,
    AuthCleanupService,
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  exports: [SessionGuard, SessionRevocations, AdminRankService, AuthCleanupService],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionLocalsMiddleware).forRoutes('{*path}');
  }
}
