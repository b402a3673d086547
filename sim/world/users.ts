/**
 * Who is in the channel, as the Robot's user list sees them.
 * Lookups are exact and case-sensitive; PM delivery is case-insensitive.
 */

export interface SimUser {
  name: string;
  rank: number;
  afk: boolean;
  profile: { image: string; text: string };
  /** Quirk: after a rank change the Robot stores only `{name, rank}`. */
  wiped: boolean;
}

export interface UserPatch {
  afk?: boolean;
  rank?: number;
}

export class Users {
  private readonly byName = new Map<string, SimUser>();
  constructor(private readonly rankChangeWipesMeta = false) {}

  join(name: string, rank = 1, afk = false): SimUser {
    const user: SimUser = {
      name,
      rank,
      afk,
      profile: { image: '', text: `${name}'s profile` },
      wiped: false,
    };
    this.byName.set(name, user);
    return user;
  }

  leave(name: string): boolean {
    return this.byName.delete(name);
  }

  get(name: string): SimUser | undefined {
    return this.byName.get(name);
  }

  /** CyTube finds a PM recipient case-insensitively. */
  findInsensitive(name: string): SimUser | undefined {
    const lower = name.toLowerCase();
    return [...this.byName.values()].find((user) => user.name.toLowerCase() === lower);
  }

  patch(name: string, patch: UserPatch): SimUser | undefined {
    const user = this.byName.get(name);
    if (!user) return undefined;
    if (patch.afk !== undefined) user.afk = patch.afk;
    if (patch.rank !== undefined && patch.rank !== user.rank) {
      user.rank = patch.rank;
      if (this.rankChangeWipesMeta) user.wiped = true;
    }
    return user;
  }

  list(): SimUser[] {
    return [...this.byName.values()];
  }

  /** The exact body of `GET /state/user/{name}`. */
  lookup(name: string): Record<string, unknown> {
    const user = this.byName.get(name);
    if (!user) return { username: name, rank: 0, online: false };
    if (user.wiped) return { name: user.name, rank: user.rank };
    return {
      name: user.name,
      rank: user.rank,
      profile: { ...user.profile },
      meta: { afk: user.afk, muted: false, smuted: false, aliases: [user.name], ip: '127.0.0.x' },
    };
  }
}
