import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { PlaylistsModule } from '../playlists/playlists.module';
import { EnrichMetadataJob } from './enrich/enrich-metadata.job';
import { EnrichTitlesJob } from './enrich/enrich-titles.job';
import { FetchJob } from './fetch/fetch.job';
import { YtDlp } from './fetch/ytdlp.runner';
import { FetchUrlsJob } from './fetchurls/fetchurls.job';
import { JobsController } from './jobs.controller';
import { RegisteredJobs } from './jobs.registry';
import { JobsRepository } from './jobs.repository';
import { JobManager, JobsOptions } from './jobs.service';
import { ToolLocator } from './tool-locator';

/**
 * Background jobs: the JobManager (registry, single-flight, job_runs, progress, cancel), the
 * six registered jobs (enrich/, fetch/, fetchurls/) and the admin routes. Exports JobManager so features can registerJob().
 */
@Module({
  imports: [CatalogModule, PlaylistsModule],
  controllers: [JobsController],
  providers: [
    JobsRepository,
    JobManager,
    RegisteredJobs,
    ToolLocator,
    YtDlp,
    EnrichTitlesJob,
    EnrichMetadataJob,
    FetchJob,
    FetchUrlsJob,
    { provide: JobsOptions, useValue: new JobsOptions() },
  ],
  exports: [JobManager],
})
export class JobsModule {}
