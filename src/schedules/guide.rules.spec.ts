import { buildGuide, type GuideSchedule } from './guide.rules';

// Monday 1 June 2026, 12:00 UTC
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const H = 3_600_000;

function schedule(id: number, patch: Partial<GuideSchedule>): GuideSchedule {
  return {
    id,
    label: `S${id}`,
    fire_at: new Date(T0 + H),
    is_recurring: false,
    rrule: null,
    is_active: true,
    fired_at: null,
    playlist_name: `P${id}`,
    fallback_playlist_name: null,
    is_immutable: true,
    duration_sec: 2 * 3600,
    ...patch,
  };
}

const times = (g: ReturnType<typeof buildGuide>): string[] =>
  g.entries.map((e) => `${e.label}@${e.starts_at.slice(5, 16)}-${e.ends_at?.slice(11, 16) ?? '?'}`);

describe('buildGuide', () => {
  it('one-off fires in the next 7 days with their estimated end; past, fired, inactive and later ones left out', () => {
    const g = buildGuide(
      [
        schedule(1, {}),
        schedule(2, { fire_at: new Date(T0 - H) }), // past
        schedule(3, { fired_at: new Date(T0 + 2 * H) }), // already fired
        schedule(4, { is_active: false }),
        schedule(5, { fire_at: new Date(T0 + 8 * 24 * H) }), // beyond the week
        schedule(6, { fire_at: new Date(T0 + 30 * H), duration_sec: null }),
      ],
      T0,
    );
    expect(times(g)).toEqual(['S1@06-01T13:00-15:00', 'S6@06-02T18:00-?']);
  });

  it('expands a weekly rule and a daily rule inside the window', () => {
    const weekly = schedule(1, {
      fire_at: new Date(Date.UTC(2026, 4, 29, 20, 0)), // a Friday before the window
      is_recurring: true,
      rrule: 'FREQ=WEEKLY;BYDAY=FR',
      duration_sec: 3600,
    });
    const daily = schedule(2, {
      fire_at: new Date(Date.UTC(2026, 5, 2, 9, 0)),
      is_recurring: true,
      rrule: 'FREQ=DAILY;COUNT=3',
      duration_sec: 1800,
    });
    expect(times(buildGuide([weekly, daily], T0))).toEqual([
      'S2@06-02T09:00-09:30',
      'S2@06-03T09:00-09:30',
      'S2@06-04T09:00-09:30',
      'S1@06-05T20:00-21:00',
    ]);
  });

  it('flags every pair where a fire comes while an earlier event is still playing', () => {
    const g = buildGuide(
      [
        schedule(1, { fire_at: new Date(T0 + H), duration_sec: 3 * 3600 }), // 13:00–16:00
        schedule(2, { fire_at: new Date(T0 + 3 * H) }), // 15:00: inside 1
        schedule(3, { fire_at: new Date(T0 + 4 * H), duration_sec: 600 }), // 16:00: 1 has ended, 2 has not
        schedule(4, { fire_at: new Date(T0 + 10 * H) }),
      ],
      T0,
    );
    expect(g.overlaps.map((o) => [g.entries[o.first].label, g.entries[o.second].label])).toEqual([
      ['S1', 'S2'],
      ['S2', 'S3'],
    ]);
  });

  it('an unparseable rule still shows its next fire', () => {
    const g = buildGuide([schedule(1, { is_recurring: true, rrule: 'NONSENSE' })], T0);
    expect(g.entries).toHaveLength(1);
  });
});
