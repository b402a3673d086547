import { fireInterrupted, missingFromLive } from './resume.rules';

const m = (id: string): { media_type: string; media_id: string } => ({ media_type: 'cm', media_id: id });

describe('missingFromLive', () => {
  it.each([
    ['nothing added yet', ['a', 'b', 'c'], [], [0, 1, 2]],
    ['stopped after the second add', ['a', 'b', 'c'], ['a', 'b'], [2]],
    ['all there', ['a', 'b'], ['b', 'a'], []],
    ['the same video twice, once added', ['a', 'x', 'a'], ['a', 'x'], [2]],
    ['other content in the queue does not count', ['a', 'b'], ['z', 'a'], [1]],
    ['an add that landed late counts as present', ['a', 'b', 'c'], ['a', 'c'], [1]],
  ])('%s', (_label, expected, live, missing) => {
    expect(missingFromLive(expected.map(m), live.map(m))).toEqual(missing);
  });
});

describe('fireInterrupted', () => {
  const started = new Date('2026-12-01T20:00:00Z');
  const end = new Date('2026-12-01T22:00:00Z');
  const now = Date.parse('2026-12-01T20:10:00Z');
  it.each([
    [
      'adds not finished, event still on',
      { started_at: started, estimated_end_at: end, last_item_uid: null },
      now,
      true,
    ],
    [
      'adds finished (its last item is named)',
      { started_at: started, estimated_end_at: end, last_item_uid: 42 },
      now,
      false,
    ],
    [
      'the event is over anyway',
      { started_at: started, estimated_end_at: end, last_item_uid: null },
      Date.parse('2026-12-01T22:00:01Z'),
      false,
    ],
    ['no start recorded', { started_at: null, estimated_end_at: end, last_item_uid: null }, now, false],
  ])('%s', (_label, active, at, interrupted) => {
    expect(fireInterrupted(active, at)).toBe(interrupted);
  });
});
