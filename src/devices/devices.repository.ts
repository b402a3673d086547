import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { DeviceKeyEntity } from './entities/device-key.entity';
import { DeviceLinkCodeEntity } from './entities/device-link-code.entity';

/** The queries on `device_keys` and `device_link_codes` (the devices module owns both). */
@Injectable()
export class DevicesRepository {
  constructor(private readonly db: DataSource) {}

  private keys() {
    return this.db.getRepository(DeviceKeyEntity);
  }

  private codes() {
    return this.db.getRepository(DeviceLinkCodeEntity);
  }

  /** A viewer's new code replaces any unused one. */
  async replaceCode(row: DeviceLinkCodeEntity): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.getRepository(DeviceLinkCodeEntity).delete({ username: row.username, used_at: IsNull() });
      await m.getRepository(DeviceLinkCodeEntity).insert(row);
    });
  }

  findCode(codeHash: string): Promise<DeviceLinkCodeEntity | null> {
    return this.codes().findOneBy({ code_hash: codeHash });
  }

  /** Marks the code used; false when it already was (only one of two racing devices wins). */
  async claimCode(codeHash: string, at: Date): Promise<boolean> {
    const res = await this.codes().update({ code_hash: codeHash, used_at: IsNull() }, { used_at: at });
    return (res.affected ?? 0) > 0;
  }

  saveKey(row: Omit<DeviceKeyEntity, 'id'>): Promise<DeviceKeyEntity> {
    return this.keys().save(row);
  }

  keyByHash(keyHash: string): Promise<DeviceKeyEntity | null> {
    return this.keys().findOneBy({ key_hash: keyHash });
  }

  keyById(id: number): Promise<DeviceKeyEntity | null> {
    return this.keys().findOneBy({ id });
  }

  async touch(id: number, at: Date): Promise<void> {
    await this.keys().update({ id }, { last_used_at: at });
  }

  async revoke(id: number, at: Date, by: string): Promise<void> {
    await this.keys().update({ id }, { revoked_at: at, revoked_by: by });
  }

  keysOf(username: string): Promise<DeviceKeyEntity[]> {
    return this.keys().find({ where: { username }, order: { id: 'DESC' } });
  }

  allKeys(limit: number): Promise<DeviceKeyEntity[]> {
    return this.keys().find({ order: { id: 'DESC' }, take: limit });
  }
}
