import { Injectable } from '@nestjs/common';
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
import { DevicesRepository } from './devices.repository';
import { type DeviceKeyEntity } from './entities/device-key.entity';

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
    private readonly repo: DevicesRepository,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /** A new code for this viewer; an older unused one stops working. */
  async createLinkCode(username: string): Promise<{ code: string; expires_at: Date; expires_in: number }> {
    const now = this.clock.now();
    const code = newLinkCode((n) => this.random.secureInt(n));
    const expires = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await this.repo.replaceCode({
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
    const claimed = await this.repo.findCode(hashSecret(code));
    if (!claimed) throw new LinkCodeInvalidException();
    if (claimed.used_at !== null || claimed.expires_at.getTime() <= now.getTime()) {
      throw new LinkCodeExpiredException();
    }
    // single use even when two devices race: only one claim finds it unused
    if (!(await this.repo.claimCode(claimed.code_hash, now))) throw new LinkCodeExpiredException();
    const key = newApiKey((n) => this.random.secureInt(n));
    const saved = await this.repo.saveKey({
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
    const row = await this.repo.keyByHash(hashSecret(key));
    if (!row || row.revoked_at !== null) return null;
    const now = this.clock.nowMs();
    if (row.last_used_at === null || now - row.last_used_at.getTime() >= LAST_USED_GAP_MS) {
      await this.repo.touch(row.id, new Date(now));
    }
    return { id: row.id, username: row.username };
  }

  async listFor(username: string): Promise<DeviceView[]> {
    return (await this.repo.keysOf(username)).map(view);
  }

  async listAll(): Promise<DeviceView[]> {
    return (await this.repo.allKeys(500)).map(view);
  }

  /** Revoke (idempotent). A viewer may only revoke their own. */
  async revoke(id: number, by: string, owner: string | null): Promise<DeviceView> {
    const row = await this.repo.keyById(id);
    if (!row || (owner !== null && row.username !== owner)) throw new DeviceNotFoundException();
    if (row.revoked_at === null) {
      row.revoked_at = this.clock.now();
      row.revoked_by = by;
      await this.repo.revoke(id, row.revoked_at, by);
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
