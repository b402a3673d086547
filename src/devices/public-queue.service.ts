import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { QueueShadowService } from '../queue/queue-shadow.service';
import {
  botNamesOf,
  type PublicCurrent,
  publicCurrent,
  type PublicQueueItem,
  publicQueue,
} from './public-api.rules';

export interface PublicQueueView {
  now_playing: PublicCurrent | null;
  items: PublicQueueItem[];
  updated_at: string;
  stale: boolean;
}

/** The queue as anyone outside may see it (devices, overlays, the public page): one snapshot. */
@Injectable()
export class PublicQueueService {
  constructor(
    private readonly shadow: QueueShadowService,
    private readonly config: AppConfig,
  ) {}

  async view(): Promise<PublicQueueView> {
    const state = await this.shadow.getEnrichedState();
    const bots = botNamesOf(state.items, this.config.bot_names);
    return {
      now_playing: publicCurrent(state, bots),
      items: publicQueue(state, bots),
      updated_at: state.updated_at,
      stale: state.stale,
    };
  }
}
