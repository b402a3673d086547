import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Clock } from '../common/clock';
import { RandomSource } from '../common/random';
import {
  deviceName,
  displayCode,
  hashSecret,
  LINK_CODE_TTL_MS,
  newApiKey,
  newLinkCode,
  normaliseCode,
} from './devices.rules';
import {
  DeviceNotFoundException,
  LinkCodeExpiredException,
  LinkCodeInvalidException,
} from './devices.exception';
import { DeviceKeyEntity } from './entities/device-key.entity';
import { DeviceLinkCodeEntity } from './entities/device-link-code.entity';

export interface DeviceView {
  id: number;
  username: string;
  name: string;
  key_hint: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** last_used_at is written at most this often per key (a busy overlay polls every few seconds). */
const LAST_USED_GAP_MS = 60_000;

/**
 * Owner of `device_keys` and `device_link_codes`: a viewer makes a short link code, a device
 * trades it (once, within 10 minutes) for a long-lived key; keys authenticate the public read
 * API and can be revoked by their viewer or by an admin.
 */
@Injectable()
export class DevicesService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  private keys() {
    return this.db.getRepository(DeviceKeyEntity);
  }

  private codes() {
    return this.db.getRepository(DeviceLinkCodeEntity);
  }

  /** A new code for this viewer; an older unused one stops working. */
  async createLinkCode(username: string): Promise<{ code: string; expires_at: Date; expires_in: number }> {
    const now = this.clock.now();
    await this.codes().delete({ username, used_at: IsNull() });
    const code = newLinkCode((n) => this.random.secureInt(n));
    const expires = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await this.codes().insert({
      code_hash: hashSecret(code),
      username,
      created_at: now,
      expires_at: expires,
      used_at: null,
    });
    return { code: displayCode(code), expires_at: expires, expires_in: LINK_CODE_TTL_MS / 1000 };
  }

  /** Trade a code for a key (single use). The key is shown once and never stored. */
  async link(rawCode: unknown, rawName: unknown): Promise<{ api_key: string; device: DeviceView }> {
    const code = normaliseCode(rawCode);
    if (!code) throw new LinkCodeInvalidException();
    const now = this.clock.now();
    const claimed = await this.db.transaction(async (m) => {
      const row = await m.getRepository(DeviceLinkCodeEntity).findOneBy({ code_hash: hashSecret(code) });
      if (!row) throw new LinkCodeInvalidException();
      if (row.used_at !== null || row.expires_at.getTime() <= now.getTime()) {
        throw new LinkCodeExpiredException();
      }
      // single use even when two devices race: only one update finds it unused
      const res = await m
        .getRepository(DeviceLinkCodeEntity)
        .update({ code_hash: row.code_hash, used_at: IsNull() }, { used_at: now });
      if (!res.affected) throw new LinkCodeExpiredException();
      return row;
    });
    const key = newApiKey((n) => this.random.secureInt(n));
    const saved = await this.keys().save({
      username: claimed.username,
      name: deviceName(rawName),
      key_hash: hashSecret(key),
      key_hint: key.slice(0, 8),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    });
    return { api_key: key, device: view(saved) };
  }

  /** The viewer behind a live key, or null. */
  async authenticate(key: string): Promise<{ id: number; username: string } | null> {
    const row = await this.keys().findOneBy({ key_hash: hashSecret(key) });
    if (!row || row.revoked_at !== null) return null;
    const now = this.clock.nowMs();
    if (row.last_used_at === null || now - row.last_used_at.getTime() >= LAST_USED_GAP_MS) {
      await this.keys().update({ id: row.id }, { last_used_at: new Date(now) });
    }
    return { id: row.id, username: row.username };
  }

  async listFor(username: string): Promise<DeviceView[]> {
    return (await this.keys().find({ where: { username }, order: { id: 'DESC' } })).map(view);
  }

  async listAll(): Promise<DeviceView[]> {
    return (await this.keys().find({ order: { id: 'DESC' }, take: 500 })).map(view);
  }

  /** Revoke (idempotent). A viewer may only revoke their own. */
  async revoke(id: number, by: string, owner: string | null): Promise<DeviceView> {
    const row = await this.keys().findOneBy({ id });
    if (!row || (owner !== null && row.username !== owner)) throw new DeviceNotFoundException();
    if (row.revoked_at === null) {
      row.revoked_at = this.clock.now();
      row.revoked_by = by;
      await this.keys().update({ id }, { revoked_at: row.revoked_at, revoked_by: by });
    }
    return view(row);
  }
}

function view(row: DeviceKeyEntity): DeviceView {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    key_hint: row.key_hint,
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
  };
}
