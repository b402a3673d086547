import { Injectable } from '@nestjs/common';
import { Between, DataSource, MoreThanOrEqual, type Repository } from 'typeorm';
import { PlayHistoryEntity } from './entities/play-history.entity';
import { PLAY_SLACK_MS, type StartedPlay } from './play-history.rules';

const mediaKey = (row: { media_type: string; media_id: string }): string =>
  `${row.media_type}:${row.media_id}`;

/**
 * Everything that started playing on the channel (`play_history`, owned here): promo cooldowns
 * and the "played today" / "not played in a while" views read it; promos never count as content.
 */
@Injectable()
export class PlayHistoryService {
  private readonly repo: Repository<PlayHistoryEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(PlayHistoryEntity);
  }

  /** Record plays; one already recorded (same uid, same start give or take the slack) is skipped. Returns how many were new. */
  async record(plays: readonly StartedPlay[]): Promise<number> {
    let added = 0;
    for (const play of plays) {
      const at = play.started_at_ms;
      const seen = await this.repo.existsBy({
        uid: play.uid,
        started_at: Between(new Date(at - 2 * PLAY_SLACK_MS), new Date(at + 2 * PLAY_SLACK_MS)),
      });
      if (seen) continue;
      await this.repo.insert({
        uid: play.uid,
        media_type: play.media_type,
        media_id: play.media_id,
        title: play.title,
        duration_sec: play.duration_sec,
        is_promo: play.is_promo,
        promo_type: play.promo_type,
        is_pay: play.is_pay,
        started_at: new Date(at),
        inferred: play.inferred,
      });
      added++;
    }
    return added;
  }

  /** media key (`type:id`) → its latest start (ms), for plays since `sinceMs` (promos and content). */
  async lastPlayedSince(sinceMs: number, what: 'all' | 'content' = 'all'): Promise<Map<string, number>> {
    const rows = await this.repo.find({
      select: { media_type: true, media_id: true, started_at: true },
      where: {
        started_at: MoreThanOrEqual(new Date(sinceMs)),
        ...(what === 'content' ? { is_promo: false } : {}),
      },
      order: { started_at: 'ASC' },
    });
    const out = new Map<string, number>();
    for (const row of rows) out.set(mediaKey(row), row.started_at.getTime());
    return out;
  }

  /** The newest plays first (content only unless asked). */
  recent(limit: number, what: 'all' | 'content' = 'content'): Promise<PlayHistoryEntity[]> {
    return this.repo.find({
      where: what === 'content' ? { is_promo: false } : {},
      order: { started_at: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
