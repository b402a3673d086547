import { performance } from 'node:perf_hooks';
import { SeededRandom } from '../src/common/random';
import { PromosConfig } from '../src/config/app-config';
import { decidePromos, initialDirectorState, type PromoPools } from '../src/promos/promo.rules';
import { newShadowItem } from '../src/queue/queue.rules';
import type { ShadowItem } from '../src/queue/queue-shadow.types';

/**
 * Promo director decision cost per poll (a poll every 3 s) at 1,000 queue items: the pure
 * `decidePromos` over the whole shadow, with a general slot due and a paid item next.
 */
export function runPromosBench(): Promise<void> {
  const items: ShadowItem[] = [];
  for (let uid = 0; uid < 1000; uid++) {
    items.push(
      newShadowItem({
        uid,
        media_type: 'cm',
        media_id: `m${uid}`,
        duration_sec: uid % 10 === 0 ? 5400 : 1500,
        is_pay: uid % 7 === 1,
        is_promo: uid % 13 === 5,
        promo_type: uid % 13 === 5 ? 'event' : null,
      }),
    );
  }
  let poolId = 0;
  const clips = (prefix: string, n: number): PromoPools['event'] => [
    {
      id: ++poolId,
      name: prefix,
      clips: Array.from({ length: n }, (_, i) => ({
        media_type: 'cm',
        media_id: `${prefix}${i}`,
        title: null,
        duration_sec: 20,
      })),
    },
  ];
  const pools: PromoPools = {
    channel_identity: clips('ci', 50),
    event: clips('ev', 50),
    mod_shoutout: clips('ms', 50),
    feature_presentation: clips('fp', 50),
    viewers_choice: clips('vc', 50),
  };
  const config = new PromosConfig();
  const world = { pools, immutable_event: false };
  const random = new SeededRandom(1);
  const runs = 2000;
  let state = { ...initialDirectorState(), content_since_general: 10 };
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const d = decidePromos(items, i % 1000, state, config, 1_000_000 + i * 3000, random, world);
    state = d.state;
  }
  const perPoll = (performance.now() - start) / runs;
  process.stdout.write(
    `decidePromos, 1,000 items: ${perPoll.toFixed(3)} ms per poll (${((perPoll / 3000) * 100).toFixed(4)} % of a 3 s poll interval)\n`,
  );
  return Promise.resolve();
}
