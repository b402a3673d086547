import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { CurrentUser, ViewerOnly } from './auth.decorators';
import { AFTER_LOGIN_PATH, cookieIsSecure, safeNextPath, USERNAME_MAX_LENGTH } from './auth.rules';
import { OtpRequestDto, OtpVerifyDto } from './dto/otp.dto';
import { OtpService } from './otp.service';
import { type AuthedRequest, SESSION_COOKIE } from './session.guard';
import { SessionRevocations } from './session-revocations.service';
import { type SessionUser, signSession } from './session-token';

/** Login by one-time code, logout, who am I, and the login page (§3 page 1). */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly otps: OtpService,
    private readonly revocations: SessionRevocations,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The login page; a logged-in user goes straight to the catalog. */
  @ApiExcludeEndpoint()
  @Get('login')
  loginPage(@Query('next') next: unknown, @Res() res: Response): void {
    if ((res.locals as { user?: unknown }).user) {
      res.redirect(302, AFTER_LOGIN_PATH);
      return;
    }
    res.render('auth/login', {
      title: 'Login',
      scripts: ['login.js'],
      next: safeNextPath(next),
      username_max: USERNAME_MAX_LENGTH,
    });
  }

  @Post('otp/request')
  @HttpCode(200)
  requestCode(@Body() body: OtpRequestDto, @Req() req: Request): Promise<{ success: true }> {
    return this.otps.requestCode(body.username, clientIp(req));
  }

  @Post('otp/verify')
  @HttpCode(200)
  async verifyCode(
    @Body() body: OtpVerifyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ success: true } & SessionUser> {
    const user = await this.otps.verifyCode(body.username, body.code, clientIp(req));
    const token = signSession(
      user,
      this.config.secret_key,
      this.clock.nowMs(),
      this.config.session_ttl_hours,
    );
    res.cookie(SESSION_COOKIE, token, {
      ...this.cookieOptions(req),
      maxAge: Math.round(this.config.session_ttl_hours * 3600) * 1000,
    });
    return { success: true, username: user.username, rank: user.rank };
  }

  /** Revokes this session server-side (jti denylist) and deletes the cookie. */
  @Post('logout')
  @HttpCode(200)
  @ViewerOnly()
  async logout(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ success: true }> {
    if (req.sessionClaims) await this.revocations.revoke(req.sessionClaims);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
    return { success: true };
  }

  @Get('me')
  @ViewerOnly()
  me(@CurrentUser() user: SessionUser): SessionUser {
    return { username: user.username, rank: user.rank };
  }

  private cookieOptions(req: Request): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      secure: cookieIsSecure(this.config.cookie_secure, req.secure),
      path: '/',
    };
  }
}

/** The client address: `req.ip`, which believes X-Forwarded-For only from trusted_proxies. */
function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
