import { Controller, Get } from '@nestjs/common';
import { AdminOnly } from '../auth/auth.decorators';
import { PresenceRefundMonitor, type TrackedOwner } from './presence.monitor';

@Controller('admin/presence')
@AdminOnly()
export class PresenceController {
  constructor(private readonly monitor: PresenceRefundMonitor) {}

  /** Owners being watched, with the grace time left (the dashboard also gets it live). */
  @Get()
  tracked(): { tracked: TrackedOwner[] } {
    return { tracked: this.monitor.trackedOwners() };
  }
}
