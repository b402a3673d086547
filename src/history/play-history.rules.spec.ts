import { type PlayableItem, type PlayObservation, startedPlays } from './play-history.rules';

const T0 = Date.UTC(2026, 5, 1, 20, 0, 0);
const S = 1000;

function item(
  uid: number,
  duration_sec: number | null = 600,
  extra: Partial<PlayableItem> = {},
): PlayableItem {
  return {
    uid,
    media_type: 'cm',
    media_id: `m${uid}`,
    title: `Title ${uid}`,
    duration_sec,
    is_promo: false,
    promo_type: null,
    is_pay: false,
    ...extra,
  };
}
const A = item(1);
const B = item(2, 20, { is_promo: true, promo_type: 'channel_identity' });
const C = item(3, 30);
const D = item(4);

function observe(
  before: PlayableItem[] | null,
  after: PlayableItem[],
  previous: [uid: number | null, currentTimeSec: number, atSec: number] | null,
  now: [uid: number | null, currentTimeSec: number, atSec: number],
): string[] {
  const obs: PlayObservation = {
    before,
    after,
    previous: previous && { uid: previous[0], current_time_sec: previous[1], at_ms: T0 + previous[2] * S },
    now: { uid: now[0], current_time_sec: now[1], at_ms: T0 + now[2] * S },
  };
  return startedPlays(obs).map(
    (p) =>
      `${p.uid}@${(p.started_at_ms - T0) / S}${p.inferred ? ' inferred' : ''}${p.is_promo ? ' promo' : ''}`,
  );
}

describe('startedPlays', () => {
  it.each<[string, Parameters<typeof observe>, string[]]>([
    ['the first poll records what plays, from its currentTime', [null, [A, C], null, [1, 40, 100]], ['1@60']],
    [
      'the same play seen again records nothing',
      [
        [A, C],
        [A, C],
        [1, 40, 100],
        [1, 43, 103],
      ],
      [],
    ],
    [
      'the next item started',
      [
        [A, C, D],
        [C, D],
        [1, 598, 100],
        [3, 5, 107],
      ],
      ['3@102'],
    ],
    [
      'a promo and a short item that played entirely between two polls are placed back from the current start',
      [[A, B, C, D], [D], [1, 590, 100], [4, 5, 165]],
      ['2@110 inferred promo', '3@130 inferred', '4@160'],
    ],
    [
      'items jumped over (their lengths do not fit the time that passed) did not play',
      [
        [A, B, C, D],
        [A, B, C, D],
        [1, 30, 100],
        [4, 2, 103],
      ],
      ['4@101'],
    ],
    [
      'an item without a length between them: nothing is guessed',
      [
        [A, item(9, null), D],
        [A, item(9, null), D],
        [1, 599, 100],
        [4, 10, 115],
      ],
      ['4@105'],
    ],
    [
      'the list loops: from the last item round to the first',
      [
        [A, C, D],
        [A, C, D],
        [4, 590, 100],
        [3, 10, 720],
      ],
      ['1@110 inferred', '3@710'],
    ],
    [
      'a lone permanent item that started over is a new play',
      [[A], [A], [1, 590, 100], [1, 5, 120]],
      ['1@115'],
    ],
    ['nothing plays', [[A], [A], [1, 5, 100], [null, 0, 103]], []],
    ['now-playing not in the list (yet)', [[A], [A], [1, 5, 100], [7, 1, 103]], []],
  ])('%s', (_label, args, expected) => {
    expect(observe(...args)).toEqual(expected);
  });
});
