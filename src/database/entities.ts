// The registry of every entity, for the DataSource (app, tests and the TypeORM CLI).
import { OtpEntity } from '../auth/entities/otp.entity';
import { RevokedSessionEntity } from '../auth/entities/revoked-session.entity';
import { CatalogCategoryEntity } from '../catalog/entities/catalog-category.entity';
import { CatalogItemEntity } from '../catalog/entities/catalog-item.entity';
import { CatalogTagEntity } from '../catalog/entities/catalog-tag.entity';
import { CategoryEntity } from '../catalog/entities/category.entity';
import { SyncLogEntity } from '../catalog/entities/sync-log.entity';
import { TagEntity } from '../catalog/entities/tag.entity';
import { DeviceKeyEntity } from '../devices/entities/device-key.entity';
import { DeviceLinkCodeEntity } from '../devices/entities/device-link-code.entity';
import { SpendRequestEntity } from '../economy/entities/spend-request.entity';
import { PlayHistoryEntity } from '../history/entities/play-history.entity';
import { JobRunEntity } from '../jobs/entities/job-run.entity';
import { SavedPlaylistItemEntity } from '../playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../playlists/entities/saved-playlist.entity';
import { QueueHistoryEntity } from '../economy/entities/queue-history.entity';
import { PromoDecisionEntity } from '../promos/entities/promo-decision.entity';
import { QueueShadowEntity } from '../queue/entities/queue-shadow.entity';
import { ActiveScheduleEntity } from '../schedules/entities/active-schedule.entity';
import { PlaylistScheduleEntity } from '../schedules/entities/playlist-schedule.entity';
import { AppSettingEntity } from '../settings/app-setting.entity';

export const ALL_ENTITIES = [
  CatalogItemEntity,
  CategoryEntity,
  CatalogCategoryEntity,
  TagEntity,
  CatalogTagEntity,
  SyncLogEntity,
  OtpEntity,
  RevokedSessionEntity,
  QueueShadowEntity,
  QueueHistoryEntity,
  SpendRequestEntity,
  SavedPlaylistEntity,
  SavedPlaylistItemEntity,
  PlaylistScheduleEntity,
  ActiveScheduleEntity,
  JobRunEntity,
  AppSettingEntity,
  DeviceKeyEntity,
  DeviceLinkCodeEntity,
  PlayHistoryEntity,
  PromoDecisionEntity,
];
