import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { Sleeper } from '../../common/sleeper';
import { MediaCmsClient } from '../../kryten/mediacms.client';
import { type JobContext } from '../jobs.types';
import { type FailureLine, MAX_LISTED, scanLibrary, writeMedia } from './media-library';
import { addedSince, proposeTitle, type TitleRule } from './title-cleaner.rules';

/** Pause between MediaCMS calls (pages and writes). */
export const TITLES_PACING_MS = 150;

export interface TitleChange {
  friendly_token: string;
  title: string;
  proposed: string;
  rule: TitleRule;
}

export interface EnrichTitlesResult {
  scanned: number;
  matched: number;
  committed: number;
  skipped: number;
  failed: number;
  dry_run: boolean;
  owner_not_restored: number;
  changes: TitleChange[];
  failures: FailureLine[];
  changes_truncated: boolean;
}

/** `enrichtitles`: clean legacy titles in MediaCMS (TV rules, then movie rules). */
@Injectable()
export class EnrichTitlesJob {
  constructor(
    private readonly mediacms: MediaCmsClient,
    private readonly sleeper: Sleeper,
    private readonly clock: Clock,
  ) {}

  async run(ctx: JobContext): Promise<EnrichTitlesResult> {
    const dryRun = ctx.params.dry_run === true;
    const limit = typeof ctx.params.limit === 'number' && ctx.params.limit > 0 ? ctx.params.limit : Infinity;
    const since = addedSince(
      this.clock.nowMs(),
      typeof ctx.params.days === 'number' ? ctx.params.days : null,
    );
    const { items } = await scanLibrary(this.mediacms, ctx, this.sleeper, TITLES_PACING_MS, since);
    const candidates: (TitleChange & { user: string })[] = [];
    for (const item of items) {
      if (candidates.length >= limit) break;
      const p = proposeTitle(item.title ?? '');
      if (p.kind === 'change') {
        candidates.push({
          friendly_token: item.friendly_token,
          title: item.title,
          proposed: p.proposed,
          rule: p.rule,
          user: item.user,
        });
      }
    }
    await ctx.progress({ phase: 'scanned', scanned: items.length, matched: candidates.length });
    const result: EnrichTitlesResult = {
      scanned: items.length,
      matched: candidates.length,
      committed: 0,
      skipped: items.length - candidates.length,
      failed: 0,
      dry_run: dryRun,
      owner_not_restored: 0,
      changes: [],
      failures: [],
      changes_truncated: candidates.length > MAX_LISTED,
    };
    for (const [i, c] of candidates.entries()) {
      ctx.signal.throwIfAborted();
      if (result.changes.length < MAX_LISTED) {
        result.changes.push({
          friendly_token: c.friendly_token,
          title: c.title,
          proposed: c.proposed,
          rule: c.rule,
        });
      }
      if (dryRun) continue;
      if (i > 0) await this.sleeper.sleep(TITLES_PACING_MS);
      const outcome = await writeMedia(this.mediacms, c, { title: c.proposed });
      if (outcome.ok) {
        result.committed++;
        if (!outcome.ownerRestored) result.owner_not_restored++;
      } else {
        result.failed++;
        if (result.failures.length < MAX_LISTED) {
          result.failures.push({ friendly_token: c.friendly_token, title: c.title, error: outcome.error });
        }
      }
      if ((i + 1) % 10 === 0 || i + 1 === candidates.length) {
        void ctx.progress({
          phase: 'committing',
          done: i + 1,
          total: candidates.length,
          committed: result.committed,
          failed: result.failed,
        });
      }
    }
    return result;
  }
}
