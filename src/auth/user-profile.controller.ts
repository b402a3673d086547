import { Controller, Get } from '@nestjs/common';
import { ApiGateClient } from '../kryten/api-gate.client';
import { CurrentUser, ViewerOnly } from './auth.decorators';
import type { SessionUser } from './session-token';

export interface UserProfile {
  username: string;
  rank: number;
  online: boolean;
}

/** `GET /user/profile`: the session's name and rank, and whether api-gate sees them online. */
@Controller('user')
@ViewerOnly()
export class UserProfileController {
  constructor(private readonly apiGate: ApiGateClient) {}

  @Get('profile')
  async profile(@CurrentUser() user: SessionUser): Promise<UserProfile> {
    const online = await this.apiGate.getUser(user.username).then(
      (presence) => presence.online,
      () => false,
    );
    return { username: user.username, rank: user.rank, online };
  }
}
