import { Injectable } from '@nestjs/common';
import { PROMO_TYPES, type PromoType } from '../config/app-config';
import { PlaylistsService } from '../playlists/playlists.service';
import type { PromoClip, PromoPool, PromoPools } from './promo-choice.rules';

export interface PromoPoolSummary {
  id: number;
  name: string;
  clips: number;
}

export interface PromoPoolsView {
  pools: PromoPools;
  /** Per type: the playlists that feed it and their clip count. */
  summary: Record<PromoType, { pools: PromoPoolSummary[]; clips: number }>;
}

/**
 * The promo pools: saved playlists with a `promo_type` (PlaylistsService.listPromoPools), each
 * its own pool (weight, cooldown and hours are per pool), in playlist id then position order.
 */
@Injectable()
export class PromoPoolsService {
  constructor(private readonly playlists: PlaylistsService) {}

  async load(): Promise<PromoPoolsView> {
    const listed = await this.playlists.listPromoPools();
    const summary = Object.fromEntries(
      PROMO_TYPES.map((t) => [t, { pools: [] as PromoPoolSummary[], clips: 0 }]),
    ) as PromoPoolsView['summary'];
    const pools: Partial<Record<PromoType, PromoPool[]>> = {};
    for (const { playlist, items } of [...listed].sort((a, b) => a.playlist.id - b.playlist.id)) {
      const type = playlist.promo_type as PromoType;
      if (!(PROMO_TYPES as readonly string[]).includes(type)) continue;
      const clips: PromoClip[] = [...items]
        .sort((a, b) => a.position - b.position)
        .map((item) => ({
          media_type: item.media_type,
          media_id: item.media_id,
          title: item.title,
          duration_sec: item.duration_sec,
        }));
      (pools[type] ??= []).push({ id: playlist.id, name: playlist.name, clips });
      summary[type].pools.push({ id: playlist.id, name: playlist.name, clips: clips.length });
      summary[type].clips += clips.length;
    }
    return { pools, summary };
  }
}
