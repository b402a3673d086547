import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AdminOnly, CurrentUser } from '../auth/auth.decorators';
import type { SessionUser } from '../auth/session-token';
import { JobRunsQueryDto } from './dto/job-runs-query.dto';
import { paramsFromBody, type JobParamField } from './jobs.rules';
import type { JobListEntry, JobRunView } from './jobs.types';
import { JobManager, type StartResult } from './jobs.service';

/** Admin job routes plus our cancel. */
@Controller('admin/jobs')
@AdminOnly()
export class JobsController {
  constructor(private readonly jobs: JobManager) {}

  @Get()
  list(): Promise<JobListEntry[]> {
    return this.jobs.list();
  }

  @Get('runs')
  runs(@Query() query: JobRunsQueryDto): Promise<JobRunView[]> {
    return this.jobs.runs(query.job || undefined, query.limit ?? 10);
  }

  @Get(':name/schema')
  schema(@Param('name') name: string): Promise<{ name: string; schema: JobParamField[] }> {
    return this.jobs.schema(name);
  }

  /** Body `{params:{…}}`, or the body itself as params; an empty body means none. */
  @Post(':name/run')
  @HttpCode(200)
  run(
    @Param('name') name: string,
    @CurrentUser() user: SessionUser,
    @Body() body: unknown,
  ): Promise<StartResult> {
    return this.jobs.start(name, `admin:${user.username}`, paramsFromBody(body));
  }

  @Post(':name/cancel')
  @HttpCode(200)
  cancel(@Param('name') name: string): Promise<{ success: true; cancelling: true; run_id: number }> {
    return this.jobs.cancel(name);
  }
}
