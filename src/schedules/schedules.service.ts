import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { PlaylistScheduleEntity } from './entities/playlist-schedule.entity';
import type { CreateScheduleDto, UpdateScheduleDto } from './dto/schedule.dto';
import { adminPayLock, eventLock, type PayLock, preFireLock } from './locks.rules';
import { type FireResult, ScheduleFireService } from './schedule-fire.service';
import {
  InvalidScheduleException,
  ScheduleNotFoundException,
  ScheduleWithoutPlaylistException,
} from './schedules.exception';
import { PlaylistsService } from '../playlists/playlists.service';
import { buildGuide, type Guide } from './guide.rules';
import { SchedulesRepository } from './schedules.repository';
import { ScheduleScheduler } from './schedules.scheduler';
import { parseFireAt, parseRrule, scheduleStatus, type ScheduleStatus } from './schedules.rules';

export type ScheduleView = Omit<PlaylistScheduleEntity, 'playlist' | 'fallback_playlist'> & {
  playlist_name: string | null;
  fallback_playlist_name: string | null;
  status: ScheduleStatus;
};

export interface ActiveView {
  schedule_id: number | null;
  playlist_id: number | null;
  playlist_name: string | null;
  label: string | null;
  is_immutable: boolean;
  started_at: Date | null;
  estimated_end_at: Date | null;
  last_item_uid: number | null;
  lock_disabled: boolean;
  /** The event lock blocks viewers right now. */
  locked: boolean;
}

export type LiftedLock =
  { kind: 'event'; playlist_name: string | null } | { kind: 'pre_fire'; schedule_id: number; label: string };

export interface LockStatus {
  /** What a viewer's /queue/add would meet now (the pre-fire message wins). */
  locked: boolean;
  kind: 'pre_fire' | 'event' | null;
  message: string | null;
  event: { locked: boolean; message: string | null };
  pre_fire: { schedule_id: number; label: string; fire_at: Date; message: string }[];
}

/** Schedule CRUD, the event state routes and the locks view. */
@Injectable()
export class SchedulesService {
  private readonly logger = new Logger('Schedules');

  constructor(
    private readonly repo: SchedulesRepository,
    private readonly playlists: PlaylistsService,
    private readonly scheduler: ScheduleScheduler,
    private readonly fireService: ScheduleFireService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<ScheduleView[]> {
    return this.views(await this.repo.all());
  }

  /** The guide of the next `days` days: every fire with its estimated end, and the overlaps. */
  async guide(days = 7): Promise<Guide> {
    const rows = await this.repo.all();
    const ids = [...new Set(rows.flatMap((r) => (r.playlist_id === null ? [] : [r.playlist_id])))];
    const playlists = new Map(
      await Promise.all(ids.map(async (id) => [id, await this.playlists.findWithItems(id)] as const)),
    );
    const views = await this.views(rows);
    return buildGuide(
      views.map((v, i) => {
        const event = v.playlist_id === null ? null : playlists.get(v.playlist_id);
        const total = event?.items.reduce((sum, item) => sum + (item.duration_sec ?? 0), 0) ?? 0;
        return {
          id: v.id,
          label: v.label,
          fire_at: v.fire_at,
          is_recurring: v.is_recurring,
          rrule: v.rrule,
          is_active: v.is_active,
          fired_at: rows[i].fired_at,
          playlist_name: v.playlist_name,
          fallback_playlist_name: v.fallback_playlist_name,
          is_immutable: Boolean(event?.playlist.is_immutable),
          duration_sec: total > 0 ? total : null,
        };
      }),
      this.clock.nowMs(),
      days,
    );
  }

  async get(id: number): Promise<ScheduleView> {
    const row = await this.repo.find(id);
    if (!row) throw new ScheduleNotFoundException();
    return (await this.views([row]))[0];
  }

  /** The next active schedule with fire_at in the future, or null. */
  async next(): Promise<ScheduleView | null> {
    const nowMs = this.clock.nowMs();
    const row = (await this.repo.allActive()).find((s) => s.fire_at.getTime() > nowMs);
    return row ? (await this.views([row]))[0] : null;
  }

  /** `GET /queue/next-schedule` (viewers). */
  async nextForViewers(): Promise<
    | Record<string, never>
    | { label: string; fire_at: Date; pre_fire_lock_minutes: number; lock_active: boolean }
  > {
    const next = await this.next();
    if (!next) return {};
    const status = await this.lockStatus();
    return {
      label: next.label,
      fire_at: next.fire_at,
      pre_fire_lock_minutes: next.pre_fire_lock_minutes,
      lock_active: status.pre_fire.length > 0,
    };
  }

  async create(input: CreateScheduleDto, admin: string): Promise<{ id: number }> {
    const values = await this.validated(input, null);
    const id = await this.repo.insert({
      pre_fire_lock_minutes: this.config.pre_fire_lock_minutes_default,
      is_recurring: false,
      ...values,
      is_active: true,
      lock_disabled: false,
      fired_at: null,
      created_by: admin,
      created_at: this.clock.now(),
    });
    await this.scheduler.rearm(id);
    this.logger.log(`schedule ${id} created by ${admin}`);
    return { id };
  }

  /** Whitelisted partial update; always re-arms from the DB (active and future → armed). */
  async update(id: number, input: UpdateScheduleDto): Promise<{ success: true; armed: boolean }> {
    const row = await this.repo.find(id);
    if (!row) throw new ScheduleNotFoundException();
    const values = await this.validated(input, row);
    await this.repo.update(id, values);
    return { success: true, armed: await this.scheduler.rearm(id) };
  }

  async remove(id: number): Promise<{ success: true }> {
    if (!(await this.repo.find(id))) throw new ScheduleNotFoundException();
    this.scheduler.disarm(id);
    await this.repo.delete(id);
    return { success: true };
  }

  /** Fire Now: works for inactive schedules too; never advances or disarms a recurrence. */
  async fireNow(id: number): Promise<FireResult> {
    const row = await this.repo.find(id);
    if (!row) throw new ScheduleNotFoundException();
    const result = await this.fireService.fire(id, { manual: true });
    if (result.reason === 'schedule_not_found') throw new ScheduleNotFoundException();
    if (result.reason === 'no_playlist') throw new ScheduleWithoutPlaylistException();
    return result;
  }

  async active(): Promise<ActiveView | Record<string, never>> {
    const row = await this.repo.getActive();
    if (!row) return {};
    const names = await this.playlists.names([row.playlist_id]);
    const schedule = row.schedule_id === null ? null : await this.repo.find(row.schedule_id);
    const playlistName = row.playlist_id === null ? null : (names.get(row.playlist_id) ?? null);
    return {
      schedule_id: row.schedule_id,
      playlist_id: row.playlist_id,
      playlist_name: playlistName,
      label: schedule?.label ?? null,
      is_immutable: Boolean(row.is_immutable),
      started_at: row.started_at,
      estimated_end_at: row.estimated_end_at,
      last_item_uid: row.last_item_uid,
      lock_disabled: Boolean(row.lock_disabled),
      locked: eventLock(this.eventInput(row, playlistName)).locked,
    };
  }

  /** "Return to free mode": deletes the running event. A pre-fire lock is not touched. */
  async clearActive(): Promise<{ success: true; cleared: boolean }> {
    return { success: true, cleared: await this.repo.clearActive() };
  }

  /** Lift every lock that is active now: the event lock and every pre-fire lock. Schedules stay armed. */
  async unlock(): Promise<{ success: true; lifted: LiftedLock[] }> {
    const status = await this.lockStatus();
    const lifted: LiftedLock[] = [];
    if (status.event.locked) {
      await this.repo.updateActive({ lock_disabled: true });
      const active = await this.active();
      lifted.push({ kind: 'event', playlist_name: 'playlist_name' in active ? active.playlist_name : null });
    }
    for (const p of status.pre_fire) {
      await this.repo.update(p.schedule_id, { lock_disabled: true });
      lifted.push({ kind: 'pre_fire', schedule_id: p.schedule_id, label: p.label });
    }
    if (lifted.length) this.logger.log(`unlocked: ${JSON.stringify(lifted)}`);
    return { success: true, lifted };
  }

  /** The locks as the pay-to-play routes see them (rules in locks.rules.ts). */
  async lockStatus(): Promise<LockStatus> {
    const now = this.clock.now();
    const preFire: LockStatus['pre_fire'] = [];
    for (const s of await this.repo.allActive()) {
      const lock = preFireLock([s], now);
      if (lock.locked) {
        preFire.push({ schedule_id: s.id, label: s.label, fire_at: s.fire_at, message: lock.message });
      }
    }
    const row = await this.repo.getActive();
    let event: PayLock = { locked: false };
    if (row) {
      const names = await this.playlists.names([row.playlist_id]);
      event = eventLock(
        this.eventInput(row, row.playlist_id === null ? null : (names.get(row.playlist_id) ?? null)),
      );
    }
    const first = preFire[0];
    return {
      locked: Boolean(first) || event.locked,
      kind: first ? 'pre_fire' : event.locked ? 'event' : null,
      message: first ? first.message : event.locked ? event.message : null,
      event: { locked: event.locked, message: event.locked ? event.message : null },
      pre_fire: preFire,
    };
  }

  /** The lock a viewer's purchase meets now (the pre-fire message wins). */
  async viewerPayLock(): Promise<PayLock> {
    const status = await this.lockStatus();
    return status.locked && status.kind && status.message
      ? { locked: true, kind: status.kind, message: status.message }
      : { locked: false };
  }

  /** Admins: only a pre-fire lock blocks their inserts. */
  async adminPayLock(): Promise<PayLock> {
    return adminPayLock(await this.repo.allActive(), this.clock.now());
  }

  /** Whether an immutable event runs with its lock on (promos stay out of it). */
  async immutableEventRunning(): Promise<boolean> {
    const row = await this.repo.getActive();
    return Boolean(row && row.is_immutable && !row.lock_disabled);
  }

  /** Playlists for the admin page selects. */
  playlistOptions(): Promise<{ id: number; name: string; is_immutable: boolean }[]> {
    return this.playlists.options();
  }

  private eventInput(
    row: { is_immutable: boolean; lock_disabled: boolean },
    playlistName: string | null,
  ): { is_immutable: boolean; lock_disabled: boolean; playlist_name: string | null } {
    return {
      is_immutable: Boolean(row.is_immutable),
      lock_disabled: Boolean(row.lock_disabled),
      playlist_name: playlistName,
    };
  }

  private async views(rows: PlaylistScheduleEntity[]): Promise<ScheduleView[]> {
    const names = await this.playlists.names(rows.flatMap((r) => [r.playlist_id, r.fallback_playlist_id]));
    const now = this.clock.now();
    return rows.map((r) => ({
      id: r.id,
      playlist_id: r.playlist_id,
      label: r.label,
      fire_at: r.fire_at,
      is_recurring: Boolean(r.is_recurring),
      rrule: r.rrule,
      immutability_expires_at: r.immutability_expires_at,
      pre_fire_lock_minutes: r.pre_fire_lock_minutes,
      fired_at: r.fired_at,
      is_active: Boolean(r.is_active),
      created_by: r.created_by,
      created_at: r.created_at,
      lock_disabled: Boolean(r.lock_disabled),
      fallback_playlist_id: r.fallback_playlist_id,
      playlist_name: r.playlist_id === null ? null : (names.get(r.playlist_id) ?? null),
      fallback_playlist_name:
        r.fallback_playlist_id === null ? null : (names.get(r.fallback_playlist_id) ?? null),
      status: scheduleStatus(r, now),
    }));
  }

  /** Check times, the RRULE and the playlists; returns the columns to write. */
  private async validated(
    input: CreateScheduleDto | UpdateScheduleDto,
    current: PlaylistScheduleEntity | null,
  ): Promise<Partial<PlaylistScheduleEntity>> {
    const out: Partial<PlaylistScheduleEntity> = {};
    if (input.label !== undefined) out.label = input.label.trim();
    if (out.label === '') throw new InvalidScheduleException('label must not be blank');
    if (input.fire_at !== undefined) {
      const at = parseFireAt(input.fire_at);
      if (!at) throw new InvalidScheduleException(`fire_at "${input.fire_at}" is not an ISO 8601 date-time`);
      out.fire_at = at;
    }
    if (input.immutability_expires_at !== undefined) {
      if (input.immutability_expires_at === null) out.immutability_expires_at = null;
      else {
        const at = parseFireAt(input.immutability_expires_at);
        if (!at) throw new InvalidScheduleException('immutability_expires_at is not an ISO 8601 date-time');
        out.immutability_expires_at = at;
      }
    }
    if (input.pre_fire_lock_minutes !== undefined) out.pre_fire_lock_minutes = input.pre_fire_lock_minutes;
    if (input.is_recurring !== undefined) out.is_recurring = input.is_recurring;
    if ('is_active' in input && input.is_active !== undefined) out.is_active = input.is_active;
    if (input.rrule !== undefined) {
      const text = input.rrule === null ? '' : input.rrule.trim();
      if (text !== '') {
        const parsed = parseRrule(text);
        if (!parsed.ok) throw new InvalidScheduleException(parsed.error, 'invalid_rrule');
      }
      out.rrule = text === '' ? null : text;
    }
    const recurring = out.is_recurring ?? current?.is_recurring ?? false;
    const rrule = out.rrule !== undefined ? out.rrule : (current?.rrule ?? null);
    if (recurring && !rrule) {
      throw new InvalidScheduleException('A recurring schedule needs an RRULE', 'invalid_rrule');
    }
    if (input.playlist_id !== undefined) {
      if (!(await this.playlists.find(input.playlist_id))) {
        throw new InvalidScheduleException(`Playlist ${input.playlist_id} not found`, 'playlist_not_found');
      }
      out.playlist_id = input.playlist_id;
    }
    if (input.fallback_playlist_id !== undefined) {
      if (input.fallback_playlist_id !== null) {
        const fallback = await this.playlists.find(input.fallback_playlist_id);
        if (!fallback) {
          throw new InvalidScheduleException(
            `Fallback playlist ${input.fallback_playlist_id} not found`,
            'playlist_not_found',
          );
        }
        if (fallback.is_immutable) {
          throw new InvalidScheduleException('The fallback playlist must be mutable (not reserved)');
        }
      }
      out.fallback_playlist_id = input.fallback_playlist_id;
    }
    const playlistId = out.playlist_id ?? current?.playlist_id ?? null;
    const fallbackId =
      out.fallback_playlist_id !== undefined
        ? out.fallback_playlist_id
        : (current?.fallback_playlist_id ?? null);
    if (playlistId !== null && fallbackId === playlistId) {
      throw new InvalidScheduleException('The fallback playlist must differ from the event playlist');
    }
    return out;
  }
}
