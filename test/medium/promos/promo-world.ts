import { DataSource } from 'typeorm';
import type { PromoType } from '../../../src/config/app-config';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { PromoDirector } from '../../../src/promos/promo.director';
import { QueueShadowService } from '../../../src/queue/queue-shadow.service';
import type { CatalogRow, PayWorld } from '../economy/pay-harness';

/** Promo pools as saved_playlists rows (promo_type set) with their clips. Returns playlist ids. */
export async function insertPool(
  w: PayWorld,
  type: PromoType,
  clips: CatalogRow[],
  name: string = type,
): Promise<number> {
  const ds = w.t.get(DataSource);
  const { identifiers } = await ds.getRepository(SavedPlaylistEntity).insert({
    name,
    description: null,
    is_immutable: false,
    created_by: 'boss',
    created_at: new Date(w.clock.nowMs()),
    updated_at: null,
    promo_type: type,
  });
  const id = identifiers[0].id as number;
  await ds.getRepository(SavedPlaylistItemEntity).insert(
    clips.map((c, position) => ({
      playlist_id: id,
      position,
      media_type: 'cm',
      media_id: c.manifest,
      title: c.title,
      duration_sec: c.duration,
    })),
  );
  return id;
}

/** Catalog rows by use: short clips for pools, mid-length content, movies (>= 3600 s). */
export function pick(w: PayWorld): { clips: CatalogRow[]; content: CatalogRow[]; movies: CatalogRow[] } {
  return {
    clips: w.items.filter((i) => i.duration >= 15 && i.duration <= 300),
    content: w.items.filter((i) => i.duration > 300 && i.duration < 3000),
    movies: w.items.filter((i) => i.duration >= 4000),
  };
}

/** Someone else queues permanent items (they loop). */
export async function queuePermanent(w: PayWorld, rows: CatalogRow[]): Promise<number[]> {
  const uids: number[] = [];
  for (const row of rows) {
    uids.push((await w.ctl.queueAsOther({ token: row.token, queueby: 'SomeoneElse', temp: false })).uid);
  }
  return uids;
}

/** Let the playing item run to its end (sim and app clocks together): the next one starts. */
export async function finishCurrent(w: PayWorld): Promise<void> {
  const s = await w.ctl.state();
  const item = s.current ? s.playlist.find((p) => p.uid === s.current?.uid) : undefined;
  if (!s.current || !item) throw new Error('nothing is playing');
  const seconds = Math.ceil(item.media.seconds + 2 - s.current.currentTime) + 1;
  await w.ctl.advance(seconds);
  w.clock.advance(seconds * 1000);
}

/** The live playlist as `kind` letters: C content, G general promo, L lead-in (by the shadow's marks). */
export async function shape(w: PayWorld): Promise<string> {
  const shadow = w.t.get(QueueShadowService);
  return (await w.playlist())
    .map((p) => {
      const item = shadow.get(p.uid);
      if (!item?.is_promo) return 'C';
      return item.lead_in_for_uid === null ? 'G' : 'L';
    })
    .join('');
}

export const director = (w: PayWorld): PromoDirector => w.t.get(PromoDirector);
export const shadowOf = (w: PayWorld): QueueShadowService => w.t.get(QueueShadowService);

/** PUT /admin/promos/config as the channel admin; returns the response. */
export function putSettings(w: PayWorld, body: unknown): ReturnType<ReturnType<PayWorld['http']>['put']> {
  return w
    .http()
    .put('/admin/promos/config')
    .set('Cookie', w.cookie('boss', 3))
    .send(body as object);
}
