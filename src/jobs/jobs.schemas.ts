import type { JobParamField } from './jobs.rules';

/** Labels and param schemas of the registered jobs. */

const dryRun: JobParamField = { name: 'dry_run', type: 'bool', label: 'Dry run', default: false };
const limit: JobParamField = { name: 'limit', type: 'int', label: 'Limit', default: null };
const days: JobParamField = {
  name: 'days',
  type: 'int',
  label: 'Only added in the last N days',
  default: null,
};
const minScore: JobParamField = { name: 'min_score', type: 'int', label: 'Min score', default: 50 };
const delay: JobParamField = {
  name: 'delay',
  type: 'float',
  label: 'Delay between lookups (s)',
  default: 0.25,
};

export const JOB_LABELS = {
  catalog_sync: 'Catalog Sync',
  enrichtitles: 'Enrich Titles',
  enrichmeta: 'Enrich Movie Metadata',
  enrichtv: 'Enrich TV Metadata',
  fetch: 'Fetch (download → MediaCMS)',
  fetchurls: 'Fetch URLs (weekend workbook)',
} as const;

export type RegisteredJobName = keyof typeof JOB_LABELS;

export const JOB_SCHEMAS: Record<RegisteredJobName, readonly JobParamField[]> = {
  catalog_sync: [],
  enrichtitles: [dryRun, limit, days],
  enrichmeta: [
    dryRun,
    limit,
    days,
    { name: 'tubi_upgrade', type: 'bool', label: 'Upgrade Tubi descriptions', default: false },
    minScore,
    { name: 'min_duration', type: 'int', label: 'Min duration (s)', default: 3600 },
    delay,
  ],
  enrichtv: [
    dryRun,
    limit,
    days,
    minScore,
    { name: 'min_duration', type: 'int', label: 'Min duration (s)', default: 600 },
    { name: 'max_duration', type: 'int', label: 'Max duration (s)', default: 3599 },
    delay,
  ],
  fetch: [
    { name: 'url', type: 'string', label: 'URL', required: true },
    {
      name: 'quality',
      type: 'enum',
      label: 'Quality',
      default: 'medium',
      options: ['best', 'good', 'medium'],
    },
    { name: 'max_videos', type: 'int', label: 'Max videos', default: 50 },
    { name: 'add_to_playlist', type: 'playlist', label: 'Add to playlist', default: null },
  ],
  fetchurls: [
    {
      name: 'section',
      type: 'enum',
      label: 'Section',
      default: 'all',
      options: ['all', 'friday', 'saturday-night', 'saturday-morning'],
    },
    dryRun,
    { name: 'validate', type: 'bool', label: 'Validate URLs', default: true },
    { name: 'writeback', type: 'bool', label: 'Write back to the workbook', default: true },
    { name: 'workbook_path', type: 'string', label: 'Workbook path (override)', default: null },
  ],
};
