import { Logger } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AdminRankService, ADMIN_RANK } from '../auth/admin-rank.service';
import { SessionRevocations } from '../auth/session-revocations.service';
import { type SessionUser, verifySession } from '../auth/session-token';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ADMIN_ROOM, LiveService } from './live.service';

interface SocketData {
  user: SessionUser;
  admin: boolean;
}

/** The `session` cookie's value from a raw Cookie header. */
export function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === 'session') {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Socket.IO on `/socket.io` (default namespace). The handshake must carry a valid `session`
 * cookie, else it is refused with a connect error `auth_error` (`err.data.detail` says why).
 * Every tab of a user stays connected; confirmed admins also join the `admin` room. A new
 * socket gets the enriched queue_state at once; `ping` is answered with `pong`.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: true })
export class LiveGateway implements OnGatewayInit<Server>, OnGatewayConnection<Socket> {
  private readonly logger = new Logger('LiveGateway');

  constructor(
    private readonly live: LiveService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
    private readonly ranks: AdminRankService,
  ) {}

  afterInit(server: Server): void {
    this.live.attach(server);
    server.use((socket, next) => {
      this.authenticate(socket).then(
        (data) => {
          socket.data = data;
          next();
        },
        (err: Error) => {
          const refusal = new Error('auth_error') as Error & { data: { detail: string } };
          refusal.data = { detail: err.message };
          next(refusal);
        },
      );
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const data = socket.data as SocketData;
    if (data.admin) await socket.join(ADMIN_ROOM);
    try {
      socket.emit('queue_state', await this.live.snapshot());
    } catch (err) {
      this.logger.error(`initial queue_state failed: ${(err as Error).message}`);
    }
  }

  @SubscribeMessage('ping')
  ping(): { event: 'pong'; data: { at: string } } {
    return { event: 'pong', data: { at: this.clock.now().toISOString() } };
  }

  private async authenticate(socket: Socket): Promise<SocketData> {
    const check = verifySession(
      sessionCookie(socket.handshake.headers.cookie),
      this.config.secret_key,
      this.clock.nowMs(),
    );
    if (!check.ok) {
      throw new Error(
        check.reason === 'expired'
          ? 'Session expired'
          : check.reason === 'invalid'
            ? 'Invalid session'
            : 'Not authenticated',
      );
    }
    if (this.revocations.isRevoked(check.claims.jti)) throw new Error('Invalid session');
    const user = { username: check.claims.sub, rank: check.claims.rank };
    let admin = false;
    if (user.rank >= ADMIN_RANK) {
      // The same live re-check as AdminOnly routes; a failure only means no admin room.
      admin = await this.ranks.confirmAdmin(user.username).then(
        () => true,
        () => false,
      );
    }
    return { user, admin };
  }
}
