import { Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Interval } from '@nestjs/schedule';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AdminRankService, ADMIN_RANK } from '../auth/admin-rank.service';
import { AdminRequiredException } from '../auth/auth.exceptions';
import { SessionRevocations } from '../auth/session-revocations.service';
import { type SessionUser, verifySession } from '../auth/session-token';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { type AdminRankLostEvent, LiveEvent, type SessionRevokedEvent } from './live.events';
import { sliceRoom } from './fanout.rules';
import { ADMIN_ROOM, LiveService, userRoom } from './live.service';

interface SocketData {
  user: SessionUser;
  admin: boolean;
  /** The session token's id: a logout closes every socket opened with it. */
  jti: string;
}

/** How often the admins' sockets have their live rank re-checked (it is cached 60 s). */
const ADMIN_ROOM_RECHECK_MS = 30_000;

export interface AdminRoomSummary {
  checked: number;
  removed: number;
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
 * socket gets the enriched queue_state at once; `ping` is answered with `pong`. A logout closes
 * the sockets of that session; a lost admin rank takes them out of the `admin` room.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: true })
export class LiveGateway implements OnGatewayInit<Server>, OnGatewayConnection<Socket> {
  private readonly logger = new Logger('LiveGateway');
  private server: Server | null = null;

  constructor(
    private readonly live: LiveService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
    private readonly ranks: AdminRankService,
  ) {}

  afterInit(server: Server): void {
    this.server = server;
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
    // Engine.IO keeps each connection's first HTTP request for its whole life (a few KB each,
    // 5,000 viewers' worth adds up); the handshake is built and checked, nothing reads it again.
    (socket.conn as unknown as { request: unknown }).request = null;
    const data = socket.data as SocketData;
    // Plain listeners rather than @SubscribeMessage: Nest builds a chain of rxjs subscribers per
    // socket for each of those (about 4 kB a socket for these two).
    socket.on('ping', () => socket.emit('pong', { at: this.clock.now().toISOString() }));
    // A page that missed a diff asks for the whole state again.
    socket.on('queue_resync', () => void this.live.inOrder(() => this.sendWholeState(socket)));
    await this.live.inOrder(async () => {
      await socket.join([userRoom(data.user.username), sliceRoom(socket.id)]);
      if (data.admin) await socket.join(ADMIN_ROOM);
      await this.sendWholeState(socket);
    });
  }

  private async sendWholeState(socket: Socket): Promise<void> {
    try {
      socket.emit('queue_state', await this.live.versionedSnapshot());
    } catch (err) {
      this.logger.error(`queue_state for one page failed: ${(err as Error).message}`);
    }
  }

  @OnEvent(LiveEvent.SessionRevoked)
  closeRevoked(event: SessionRevokedEvent): void {
    for (const socket of this.sockets()) {
      if ((socket.data as SocketData).jti === event.jti) socket.disconnect(true);
    }
  }

  @OnEvent(LiveEvent.AdminRankLost)
  async dropFormerAdmin(event: AdminRankLostEvent): Promise<void> {
    for (const socket of this.sockets()) {
      const data = socket.data as SocketData;
      if (data.admin && data.user.username === event.username) await this.leaveAdminRoom(socket);
    }
  }

  @Interval(ADMIN_ROOM_RECHECK_MS)
  interval(): Promise<AdminRoomSummary> {
    return this.tick();
  }

  /** Re-check the live rank of everyone in the admin room; who lost it leaves. */
  async tick(): Promise<AdminRoomSummary> {
    const summary: AdminRoomSummary = { checked: 0, removed: 0 };
    for (const socket of this.sockets()) {
      const data = socket.data as SocketData;
      if (!data.admin) continue;
      summary.checked++;
      const stillAdmin = await this.ranks.confirmAdmin(data.user.username).then(
        () => true,
        (err: unknown) => !(err instanceof AdminRequiredException), // an outage is not a demotion
      );
      if (!stillAdmin) {
        await this.leaveAdminRoom(socket);
        summary.removed++;
      }
    }
    return summary;
  }

  /** This process's sockets. */
  private sockets(): Socket[] {
    return this.server ? [...this.server.sockets.sockets.values()] : [];
  }

  private async leaveAdminRoom(socket: Socket): Promise<void> {
    (socket.data as SocketData).admin = false;
    await socket.leave(ADMIN_ROOM);
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
    return { user, admin, jti: check.claims.jti };
  }
}
