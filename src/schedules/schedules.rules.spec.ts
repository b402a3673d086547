import {
  advanceRecurrence,
  autoClearReason,
  nextOccurrence,
  parseFireAt,
  parseRrule,
  playlistsToRelease,
  type RRule,
  scheduleStatus,
} from './schedules.rules';

const utc = (s: string): Date => new Date(s);

function rule(text: string): RRule {
  const parsed = parseRrule(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rule;
}

/** Every occurrence strictly after `from`, up to `n` of them. */
function series(text: string, dtstart: string, n: number, from = dtstart): string[] {
  const r = rule(text);
  const out: string[] = [];
  let after = utc(from);
  if (from === dtstart) after = new Date(utc(dtstart).getTime() - 1);
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(r, utc(dtstart), after);
    if (!next) break;
    out.push(next.at.toISOString());
    after = next.at;
  }
  return out;
}

describe('parseFireAt', () => {
  it('takes a zone as given and reads a naive time as UTC', () => {
    expect(parseFireAt('2026-06-14T20:00:00Z')?.toISOString()).toBe('2026-06-14T20:00:00.000Z');
    expect(parseFireAt('2026-06-14T22:00:00+02:00')?.toISOString()).toBe('2026-06-14T20:00:00.000Z');
    expect(parseFireAt('2026-06-14T15:30-0430')?.toISOString()).toBe('2026-06-14T20:00:00.000Z');
    expect(parseFireAt('2026-06-14T20:00')?.toISOString()).toBe('2026-06-14T20:00:00.000Z');
    expect(parseFireAt('2026-06-14 20:00:05.250')?.toISOString()).toBe('2026-06-14T20:00:05.250Z');
  });

  it('refuses garbage and impossible dates', () => {
    for (const bad of [
      '',
      'tomorrow',
      '2026-06-14',
      '2026-02-30T10:00:00Z',
      '2026-06-14T25:00Z',
      '2026-06-14T10:00+25:00',
    ]) {
      expect(parseFireAt(bad)).toBeNull();
    }
  });
});

describe('parseRrule', () => {
  it('parses the supported subset', () => {
    expect(rule('RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;BYHOUR=20;BYMINUTE=30;COUNT=4')).toEqual({
      freq: 'WEEKLY',
      interval: 2,
      byDay: [
        { weekday: 0, ordinal: null },
        { weekday: 4, ordinal: null },
      ],
      byHour: [20],
      byMinute: [30],
      count: 4,
      until: null,
    });
    expect(rule('freq=monthly;byday=-1SU').byDay).toEqual([{ weekday: 6, ordinal: -1 }]);
    expect(rule('FREQ=DAILY;UNTIL=20260620').until?.toISOString()).toBe('2026-06-20T23:59:59.000Z');
  });

  it.each([
    ['FREQ=HOURLY', 'Unsupported RRULE FREQ'],
    ['FREQ=MINUTELY', 'Unsupported RRULE FREQ'],
    ['BYDAY=FR', 'Unsupported RRULE FREQ'],
    ['FREQ=DAILY;BYSECOND=5', 'Unsupported RRULE part BYSECOND'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY must list days'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY must list days'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH must list months'],
    ['FREQ=MONTHLY;BYWEEKNO=10', 'BYWEEKNO needs FREQ=YEARLY'],
    ['FREQ=MONTHLY;BYSETPOS=0', 'BYSETPOS must list positions'],
    ['FREQ=MONTHLY;BYDAY=6FR', 'an ordinal needs FREQ=MONTHLY'],
    ['FREQ=WEEKLY;WKST=XX', 'WKST "XX"'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY "XX"'],
    ['FREQ=WEEKLY;BYDAY=1FR', 'an ordinal needs FREQ=MONTHLY'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be ≥ 1'],
    ['FREQ=DAILY;BYHOUR=24', 'BYHOUR'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20260101', 'both COUNT and UNTIL'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'repeats FREQ'],
    ['', 'empty'],
  ])('refuses %s', (text, error) => {
    expect(parseRrule(text)).toEqual({ ok: false, error: expect.stringContaining(error) });
  });
});

describe('nextOccurrence (UTC, no DST)', () => {
  it('DAILY keeps the dtstart time of day across the DST change dates', () => {
    // Europe and the US change clocks in late March / early November: UTC does not move.
    expect(series('FREQ=DAILY', '2026-03-28T19:00:00Z', 3)).toEqual([
      '2026-03-28T19:00:00.000Z',
      '2026-03-29T19:00:00.000Z',
      '2026-03-30T19:00:00.000Z',
    ]);
  });

  it('DAILY with INTERVAL, BYHOUR and BYMINUTE expands within each day', () => {
    expect(series('FREQ=DAILY;INTERVAL=2;BYHOUR=9,21;BYMINUTE=15', '2026-06-01T00:00:00Z', 4)).toEqual([
      '2026-06-01T09:15:00.000Z',
      '2026-06-01T21:15:00.000Z',
      '2026-06-03T09:15:00.000Z',
      '2026-06-03T21:15:00.000Z',
    ]);
  });

  it('DAILY with BYDAY only keeps those weekdays', () => {
    // 2026-06-12 is a Friday
    expect(series('FREQ=DAILY;BYDAY=SA,SU', '2026-06-12T18:00:00Z', 3)).toEqual([
      '2026-06-13T18:00:00.000Z',
      '2026-06-14T18:00:00.000Z',
      '2026-06-20T18:00:00.000Z',
    ]);
  });

  it('WEEKLY;BYDAY=FR from a Sunday goes to the coming Friday, then weekly', () => {
    expect(series('FREQ=WEEKLY;BYDAY=FR', '2026-06-14T20:00:00Z', 3)).toEqual([
      '2026-06-19T20:00:00.000Z',
      '2026-06-26T20:00:00.000Z',
      '2026-07-03T20:00:00.000Z',
    ]);
  });

  it('WEEKLY without BYDAY repeats on the dtstart weekday; INTERVAL=2 skips weeks', () => {
    expect(series('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', '2026-06-15T10:00:00Z', 4)).toEqual([
      '2026-06-15T10:00:00.000Z',
      '2026-06-17T10:00:00.000Z',
      '2026-06-29T10:00:00.000Z',
      '2026-07-01T10:00:00.000Z',
    ]);
    expect(series('FREQ=WEEKLY', '2026-06-14T20:00:00Z', 2)).toEqual([
      '2026-06-14T20:00:00.000Z',
      '2026-06-21T20:00:00.000Z',
    ]);
  });

  it('MONTHLY by day of month skips months without it; BYDAY ordinals pick the nth/last weekday', () => {
    expect(series('FREQ=MONTHLY', '2026-01-31T12:00:00Z', 3)).toEqual([
      '2026-01-31T12:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
      '2026-05-31T12:00:00.000Z',
    ]);
    expect(series('FREQ=MONTHLY;BYDAY=1FR,-1SU', '2026-06-01T20:00:00Z', 4)).toEqual([
      '2026-06-05T20:00:00.000Z',
      '2026-06-28T20:00:00.000Z',
      '2026-07-03T20:00:00.000Z',
      '2026-07-26T20:00:00.000Z',
    ]);
  });

  it('is strictly after `after`', () => {
    const r = rule('FREQ=DAILY');
    const start = utc('2026-06-01T20:00:00Z');
    expect(nextOccurrence(r, start, start)?.at.toISOString()).toBe('2026-06-02T20:00:00.000Z');
    expect(nextOccurrence(r, start, utc('2026-06-10T19:59:59Z'))?.at.toISOString()).toBe(
      '2026-06-10T20:00:00.000Z',
    );
  });

  it('COUNT and UNTIL exhaust the series', () => {
    expect(series('FREQ=DAILY;COUNT=2', '2026-06-01T20:00:00Z', 5)).toHaveLength(2);
    const r = rule('FREQ=DAILY;COUNT=2');
    expect(nextOccurrence(r, utc('2026-06-01T20:00:00Z'), utc('2026-06-02T20:00:00Z'))).toBeNull();
    expect(series('FREQ=DAILY;UNTIL=20260603T200000Z', '2026-06-01T20:00:00Z', 5)).toEqual([
      '2026-06-01T20:00:00.000Z',
      '2026-06-02T20:00:00.000Z',
      '2026-06-03T20:00:00.000Z',
    ]);
    expect(
      nextOccurrence(
        rule('FREQ=DAILY;UNTIL=20260603'),
        utc('2026-06-01T20:00:00Z'),
        utc('2026-06-03T20:00:00Z'),
      ),
    ).toBeNull();
  });
});

describe('nextOccurrence: RFC 5545 beyond the first subset (rrule)', () => {
  it.each([
    [
      'YEARLY on the dtstart date',
      'FREQ=YEARLY',
      '2026-12-24T20:00:00Z',
      ['2026-12-24T20:00:00.000Z', '2027-12-24T20:00:00.000Z', '2028-12-24T20:00:00.000Z'],
    ],
    [
      'YEARLY;BYMONTH=10;BYDAY=-1FR (last Friday of October)',
      'FREQ=YEARLY;BYMONTH=10;BYDAY=-1FR',
      '2026-01-01T21:00:00Z',
      ['2026-10-30T21:00:00.000Z', '2027-10-29T21:00:00.000Z'],
    ],
    [
      'MONTHLY;BYMONTHDAY=1,15',
      'FREQ=MONTHLY;BYMONTHDAY=1,15',
      '2026-06-10T18:00:00Z',
      ['2026-06-15T18:00:00.000Z', '2026-07-01T18:00:00.000Z', '2026-07-15T18:00:00.000Z'],
    ],
    [
      'MONTHLY;BYMONTHDAY=-1 (the last day, every month)',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      '2026-01-31T12:00:00Z',
      ['2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z', '2026-03-31T12:00:00.000Z'],
    ],
    [
      'MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 (the last weekday of the month)',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
      '2026-05-01T20:00:00Z',
      ['2026-05-29T20:00:00.000Z', '2026-06-30T20:00:00.000Z', '2026-07-31T20:00:00.000Z'],
    ],
    [
      'WEEKLY;BYDAY=FR;BYSETPOS=1 is every Friday (one per week)',
      'FREQ=WEEKLY;BYDAY=FR;BYSETPOS=1',
      '2026-06-14T20:00:00Z',
      ['2026-06-19T20:00:00.000Z', '2026-06-26T20:00:00.000Z'],
    ],
    [
      'YEARLY;BYYEARDAY=1,-1 (first and last day of the year)',
      'FREQ=YEARLY;BYYEARDAY=1,-1',
      '2026-06-01T00:00:00Z',
      ['2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ],
    [
      'YEARLY;BYWEEKNO=1;BYDAY=MO (the Monday of ISO week 1)',
      'FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO',
      '2026-06-01T10:00:00Z',
      ['2027-01-04T10:00:00.000Z', '2028-01-03T10:00:00.000Z'],
    ],
  ])('%s', (_name, text, start, expected) => {
    expect(series(text, start, expected.length)).toEqual(expected);
  });

  it('counts COUNT across the newly accepted parts', () => {
    const fired = utc('2026-05-29T20:00:00Z');
    const next = advanceRecurrence('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3', fired, fired);
    expect(next).toEqual({
      ok: true,
      fire_at: utc('2026-06-30T20:00:00Z'),
      rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2',
    });
  });
});

describe('advanceRecurrence', () => {
  it('moves to the next occurrence and keeps COUNT relative to the new fire time', () => {
    const fired = utc('2026-06-01T20:00:00Z');
    const first = advanceRecurrence('FREQ=DAILY;COUNT=3', fired, fired);
    expect(first).toEqual({ ok: true, fire_at: utc('2026-06-02T20:00:00Z'), rrule: 'FREQ=DAILY;COUNT=2' });
    if (!first.ok) return;
    const second = advanceRecurrence(first.rrule, first.fire_at, first.fire_at);
    expect(second).toEqual({ ok: true, fire_at: utc('2026-06-03T20:00:00Z'), rrule: 'FREQ=DAILY;COUNT=1' });
    if (!second.ok) return;
    expect(advanceRecurrence(second.rrule, second.fire_at, second.fire_at)).toEqual({
      ok: false,
      reason: 'exhausted',
    });
  });

  it('skipping missed occurrences (start-up) uses them up from COUNT', () => {
    const result = advanceRecurrence(
      'FREQ=DAILY;COUNT=5',
      utc('2026-06-01T20:00:00Z'),
      utc('2026-06-03T21:00:00Z'),
    );
    expect(result).toEqual({ ok: true, fire_at: utc('2026-06-04T20:00:00Z'), rrule: 'FREQ=DAILY;COUNT=2' });
  });

  it('reports an unparseable rule', () => {
    expect(
      advanceRecurrence('FREQ=SECONDLY', utc('2026-06-01T20:00:00Z'), utc('2026-06-01T20:00:00Z')),
    ).toMatchObject({
      ok: false,
      reason: 'unparseable',
    });
  });
});

describe('scheduleStatus', () => {
  const now = utc('2026-06-14T12:00:00Z');
  it('is disabled, fired, past or pending', () => {
    const base = { is_active: true, fired_at: null, fire_at: utc('2026-06-14T13:00:00Z') };
    expect(scheduleStatus(base, now)).toBe('pending');
    expect(scheduleStatus({ ...base, fire_at: utc('2026-06-14T11:00:00Z') }, now)).toBe('past');
    expect(scheduleStatus({ ...base, fired_at: now }, now)).toBe('fired');
    expect(scheduleStatus({ ...base, is_active: false, fired_at: now }, now)).toBe('disabled');
  });
});

describe('autoClearReason', () => {
  const now = utc('2026-06-14T12:00:00Z');
  const queue = { uids: [1, 2, 3], now_playing_uid: 1, stale: false };

  it('keeps the event while its last item is queued or playing', () => {
    expect(
      autoClearReason({ last_item_uid: 3, estimated_end_at: utc('2026-06-14T13:00:00Z') }, queue, now),
    ).toBeNull();
    expect(
      autoClearReason({ last_item_uid: 9, estimated_end_at: null }, { ...queue, now_playing_uid: 9 }, now),
    ).toBeNull();
  });

  it('clears when the last item has left the queue', () => {
    expect(
      autoClearReason({ last_item_uid: 7, estimated_end_at: utc('2026-06-14T13:00:00Z') }, queue, now),
    ).toBe('last_item_gone');
  });

  it('does not trust a stale queue view', () => {
    expect(
      autoClearReason({ last_item_uid: 7, estimated_end_at: null }, { ...queue, stale: true }, now),
    ).toBeNull();
  });

  it('clears more than 5 min after estimated_end_at, not at 5 min', () => {
    const at = (iso: string) =>
      autoClearReason({ last_item_uid: 3, estimated_end_at: utc('2026-06-14T11:55:00Z') }, queue, utc(iso));
    expect(at('2026-06-14T12:00:00Z')).toBeNull();
    expect(at('2026-06-14T12:00:01Z')).toBe('ended');
    // an event that added nothing ends by time alone
    expect(
      autoClearReason({ last_item_uid: null, estimated_end_at: utc('2026-06-14T11:00:00Z') }, queue, now),
    ).toBe('ended');
  });
});

describe('playlistsToRelease', () => {
  const now = utc('2026-06-14T12:00:00Z');
  const past = utc('2026-06-14T11:00:00Z');
  const future = utc('2026-06-14T13:00:00Z');

  it('releases a playlist whose schedule expiry is past', () => {
    expect(
      playlistsToRelease([1], [{ playlist_id: 1, is_active: true, immutability_expires_at: past }], now),
    ).toEqual([1]);
  });

  it('keeps it while another active schedule has a null or future expiry', () => {
    const expired = { playlist_id: 1, is_active: false, immutability_expires_at: past };
    expect(
      playlistsToRelease(
        [1],
        [expired, { playlist_id: 1, is_active: true, immutability_expires_at: null }],
        now,
      ),
    ).toEqual([]);
    expect(
      playlistsToRelease(
        [1],
        [expired, { playlist_id: 1, is_active: true, immutability_expires_at: future }],
        now,
      ),
    ).toEqual([]);
    // an inactive schedule with no expiry does not hold it
    expect(
      playlistsToRelease(
        [1],
        [expired, { playlist_id: 1, is_active: false, immutability_expires_at: null }],
        now,
      ),
    ).toEqual([1]);
  });

  it('ignores playlists without an expired schedule', () => {
    expect(
      playlistsToRelease([1, 2], [{ playlist_id: 2, is_active: true, immutability_expires_at: future }], now),
    ).toEqual([]);
  });
});
