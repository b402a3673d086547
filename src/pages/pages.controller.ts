import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';

/** Site-level pages that belong to no single feature. */
@Controller()
export class PagesController {
  /** `/` sends a logged-in viewer to the catalog's home page, anyone else to the login page. */
  @ApiExcludeEndpoint()
  @Get()
  root(@Res() res: Response): void {
    const loggedIn = Boolean((res.locals as { user?: unknown }).user);
    res.redirect(302, loggedIn ? '/catalog' : '/auth/login');
  }

  /** Browsers ask for /favicon.ico on any page, JSON ones included. */
  @ApiExcludeEndpoint()
  @Get('favicon.ico')
  favicon(@Res() res: Response): void {
    res.redirect(301, '/static/favicon.svg');
  }
}
