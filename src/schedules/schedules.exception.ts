import { DomainException } from '../common/domain-exception';

export class ScheduleNotFoundException extends DomainException {
  constructor() {
    super(404, 'schedule_not_found', 'Schedule not found');
  }
}

/** Bad create/update input the DTO could not catch (times, RRULE, playlists). */
export class InvalidScheduleException extends DomainException {
  constructor(detail: string, code = 'invalid_schedule') {
    super(400, code, detail);
  }
}

/** Fire Now on a schedule whose playlist is unset or was deleted. */
export class ScheduleWithoutPlaylistException extends DomainException {
  constructor() {
    super(409, 'schedule_without_playlist', 'Schedule has no playlist');
  }
}
