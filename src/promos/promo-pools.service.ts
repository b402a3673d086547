import { Injectable } from '@nestjs/common';
import { PROMO_TYPES, type PromoType } from '../config/app-config';
import { PlaylistsService } from '../playlists/playlists.service';
import { clipKey, type PromoClip, type PromoPools } from './promo.rules';

export interface PromoPoolSummary {
  id: number;
  name: string;
  clips: number;
}

export interface PromoPoolsView {
  pools: PromoPools;
  /** Per type: the playlists that feed it and the unioned clip count. */
  summary: Record<PromoType, { pools: PromoPoolSummary[]; clips: number }>;
}

/**
 * The promo pools: saved playlists with a `promo_type` (PlaylistsService.listPromoPools), several
 * of one type unioned in playlist then position order, duplicates dropped.
 */
@Injectable()
export class PromoPoolsService {
  constructor(private readonly playlists: PlaylistsService) {}

  async load(): Promise<PromoPoolsView> {
    const listed = await this.playlists.listPromoPools();
    const summary = Object.fromEntries(
      PROMO_TYPES.map((t) => [t, { pools: [] as PromoPoolSummary[], clips: 0 }]),
    ) as PromoPoolsView['summary'];
    const pools: Record<string, PromoClip[]> = {};
    const seen = new Map<string, Set<string>>();
    for (const { playlist, items } of [...listed].sort((a, b) => a.playlist.id - b.playlist.id)) {
      const type = playlist.promo_type as PromoType;
      if (!(PROMO_TYPES as readonly string[]).includes(type)) continue;
      const own = [...items].sort((a, b) => a.position - b.position);
      summary[type].pools.push({ id: playlist.id, name: playlist.name, clips: own.length });
      const keys = seen.get(type) ?? new Set<string>();
      seen.set(type, keys);
      for (const item of own) {
        const clip: PromoClip = {
          media_type: item.media_type,
          media_id: item.media_id,
          title: item.title,
          duration_sec: item.duration_sec,
        };
        if (keys.has(clipKey(clip))) continue;
        keys.add(clipKey(clip));
        (pools[type] ??= []).push(clip);
      }
      summary[type].clips = pools[type]?.length ?? 0;
    }
    return { pools: pools, summary };
  }
}
