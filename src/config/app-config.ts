import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  Matches,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
  validateSync,
} from 'class-validator';

/** Empty, or a URL with one of these schemes and a host (`postgres://user:pass@host/db`). */
export function IsUrlWithScheme(schemes: string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUrlWithScheme',
      validator: {
        validate: (value: unknown) => {
          if (value === '') return true;
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '';
          } catch {
            return false;
          }
        },
        defaultMessage: (args) =>
          `${args?.property} must be empty or a URL such as ${schemes[0]}://user:password@host:port/name`,
      },
    },
    options,
  );
}

/** An IANA time zone name that this Node knows (e.g. `Europe/London`, `UTC`). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length === 0) return false;
          try {
            new Intl.DateTimeFormat('en', { timeZone: value });
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property} must be a time zone name such as Europe/London or UTC`,
      },
    },
    options,
  );
}

/**
 * The typed configuration. Key names and defaults are those of the old service's
 * config.json, so an old file loads unchanged; the `presence_refund`
 * and `promos` blocks keep the old service's keys; the few keys we add are marked.
 */

export const LOG_LEVELS = ['debug', 'info', 'warning', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export class FetchUrlsConfig {
  @IsString() workbook_path = '';
  @IsString() sharepoint_tenant_id = '';
  @IsString() sharepoint_client_id = '';
  @IsString() sharepoint_sharing_url = '';
  @IsString() token_cache_path = '';
  /** Ours: Microsoft Graph and Entra ID sign-in base URLs (change only for a proxy or a stand-in). */
  @IsString() graph_url = 'https://graph.microsoft.com/v1.0';
  @IsString() login_url = 'https://login.microsoftonline.com';
  /** Ours: the time zone whose calendar picks "this weekend's" sheet (IANA name). */
  @IsTimeZone() timezone = 'UTC';
  /** Ours: hosts whose links are downloaded (yt-dlp) and uploaded to MediaCMS; others are kept as links. */
  @IsArray() @IsString({ each: true }) download_hosts: string[] = ['youtube.com', 'youtu.be', 'tubitv.com'];
}

export class PresenceRefundConfig {
  @IsBoolean() enabled = true;
  @IsBoolean() on_leave = true;
  @IsBoolean() on_afk = false;
  @IsNumber() @Min(0) grace_seconds = 60;
  @IsNumber() @Min(1) check_interval_seconds = 15;
  /** Ours (0.14.0 later had it): PM the owner naming the cancelled title and the Z returned. */
  @IsBoolean() notify_user = true;
  /** Ours: log "would cancel" instead of acting (shadow mode). */
  @IsBoolean() shadow_mode = false;
}

export const PROMO_ORDERS = ['random', 'sequential'] as const;
export type PromoOrder = (typeof PROMO_ORDERS)[number];

export class PromoTypeConfig {
  @IsBoolean() enabled = true;
  @IsIn(PROMO_ORDERS) order: PromoOrder = 'random';
  @IsOptional() @IsNumber() @Min(0) weight?: number;
}

export class PromoGeneralConfig {
  @IsInt() @Min(1) every_n_items = 4;
  @IsNumber() @Min(1) every_m_minutes = 20;
  @IsBoolean() no_repeat = true;
  /** Ours: a clip does not play again within this many minutes of its last start (0 = off). */
  @IsNumber() @Min(0) clip_cooldown_minutes = 30;
}

export const PROMO_WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Ours: the local hours a pool may play (`end` before `start` runs past midnight). */
export class PromoWindowConfig {
  @Matches(HH_MM, { message: 'start must be a time like 18:00' }) start!: string;
  @Matches(HH_MM, { message: 'end must be a time like 23:00' }) end!: string;
  /** Days the window opens on; empty = every day. */
  @IsArray()
  @IsIn(PROMO_WEEKDAYS, { each: true, message: 'days must be day codes MO, TU, WE, TH, FR, SA, SU' })
  days: readonly (typeof PROMO_WEEKDAYS)[number][] = [];
}

/** Ours: one pool's (saved playlist's) weight, cooldown and hours. */
export class PromoPoolConfig {
  @IsOptional() @IsNumber() @Min(0) weight?: number;
  @IsOptional() @IsNumber() @Min(0) cooldown_minutes?: number;
  @IsOptional() @ValidateNested() @Type(() => PromoWindowConfig) window?: PromoWindowConfig | null;
}

/**
 * Each value of `pools` (keyed by playlist id) is a PromoPoolConfig; class-validator has no
 * record-of-classes, so the values are checked here and every problem named by its path.
 */
function ArePoolRules(): PropertyDecorator {
  return ValidateBy({
    name: 'arePoolRules',
    validator: {
      validate: (value: unknown) => poolRuleProblems(value).length === 0,
      defaultMessage: (args) => poolRuleProblems(args?.value).join('; '),
    },
  });
}

export function poolRuleProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['pools must be an object keyed by playlist id'];
  }
  const problems: string[] = [];
  for (const [id, raw] of Object.entries(value)) {
    if (!/^\d+$/.test(id)) {
      problems.push(`pools: "${id}" is not a playlist id`);
      continue;
    }
    const rules = plainToInstance(PromoPoolConfig, raw ?? {});
    const errors = validateSync(rules, { whitelist: true, forbidNonWhitelisted: true });
    const walk = (list: typeof errors, prefix: string): void => {
      for (const e of list) {
        for (const m of Object.values(e.constraints ?? {})) problems.push(`${prefix}${e.property}: ${m}`);
        if (e.children?.length) walk(e.children, `${prefix}${e.property}.`);
      }
    };
    walk(errors, `pools.${id}.`);
  }
  return problems;
}

export const PROMO_TYPES = [
  'channel_identity',
  'event',
  'mod_shoutout',
  'feature_presentation',
  'viewers_choice',
] as const;
export type PromoType = (typeof PROMO_TYPES)[number];
export const GENERAL_PROMO_TYPES: readonly PromoType[] = ['channel_identity', 'event', 'mod_shoutout'];

export class PromoTypesConfig {
  @ValidateNested() @Type(() => PromoTypeConfig) channel_identity = promoType('random', 3);
  @ValidateNested() @Type(() => PromoTypeConfig) event = promoType('random', 2);
  @ValidateNested() @Type(() => PromoTypeConfig) mod_shoutout = promoType('sequential', 1);
  @ValidateNested() @Type(() => PromoTypeConfig) feature_presentation = promoType('random');
  @ValidateNested() @Type(() => PromoTypeConfig) viewers_choice = promoType('random');
}

function promoType(order: PromoOrder, weight?: number): PromoTypeConfig {
  return Object.assign(new PromoTypeConfig(), { enabled: true, order, weight });
}

export class PromosConfig {
  @IsBoolean() enabled = true;
  @IsInt() @Min(1) movie_threshold_seconds = 3600;
  @ValidateNested() @Type(() => PromoGeneralConfig) general = new PromoGeneralConfig();
  @ValidateNested() @Type(() => PromoTypesConfig) types = new PromoTypesConfig();
  /** Ours: log "would insert" instead of inserting (shadow mode). */
  @IsBoolean() shadow_mode = false;
  /** Ours: the time zone of the pools' hours (IANA name). */
  @IsTimeZone() timezone = 'UTC';
  /** Ours: per pool (saved playlist id): weight, cooldown and hours. Unlisted pools: weight 1, no cooldown, any time. */
  @ArePoolRules() pools: Record<string, PromoPoolConfig> = {};
}

export class AppConfig {
  @IsString() channel = 'Q_A';
  @IsString() host = '0.0.0.0';
  @IsInt() @Min(0) @Max(65535) port = 2010;

  @IsString() @MinLength(32, { message: 'secret_key must be at least 32 characters' }) secret_key!: string;
  @IsNumber() @Min(0.01) session_ttl_hours = 24;

  @IsString() api_gate_url = 'http://127.0.0.1:24444';
  @IsString() @MinLength(1) api_gate_token!: string;
  @IsString() mediacms_url = 'https://www.dropsugar.com';
  @IsString() @MinLength(1) mediacms_token!: string;

  @IsString() tmdb_api_key = '';
  @IsString() omdb_api_key = '';
  /** Ours: base URLs of the art providers, so tests and the demo can point them at a local fake. */
  @IsString() tmdb_api_url = 'https://api.themoviedb.org/3';
  @IsString() tmdb_image_url = 'https://image.tmdb.org/t/p';
  @IsString() omdb_api_url = 'https://www.omdbapi.com';

  @IsString() fetch_cookies_path = '';
  /** Ours: the yt-dlp program the fetch jobs run (a name on PATH or a full path). */
  @IsString() @MinLength(1) ytdlp_path = 'yt-dlp';
  @ValidateNested() @Type(() => FetchUrlsConfig) fetchurls = new FetchUrlsConfig();

  @ValidateNested() @Type(() => PresenceRefundConfig) presence_refund = new PresenceRefundConfig();
  @ValidateNested() @Type(() => PromosConfig) promos = new PromosConfig();

  @IsString() @MinLength(1) db_path = '/var/lib/kryten-webqueue/webqueue.db';
  /**
   * Ours: PostgreSQL instead of the SQLite file at db_path (`postgres://user:pass@host:5432/db`).
   * Needed to run more than one instance.
   */
  @IsUrlWithScheme(['postgres', 'postgresql']) database_url = '';
  /**
   * Ours: Redis for several instances (`redis://host:6379/0`): Socket.IO rooms across instances,
   * shared rate limits and session revocations. Empty = one instance, all in memory.
   */
  @IsUrlWithScheme(['redis', 'rediss']) redis_url = '';
  /** Ours: this instance's name in logs, metrics and the leader lease (default: host:pid). */
  @IsString() instance_name = '';
  /**
   * Ours: log any single database query that takes longer than this many milliseconds, with its
   * SQL (a warning). 0 = off. For finding what holds the event loop (an SQLite query blocks it).
   */
  @IsInt() @Min(0) slow_query_ms = 0;
  @IsString() @MinLength(1) image_dir = '/var/lib/kryten-webqueue/images';
  @IsString() placeholder_dir = '/var/lib/kryten-webqueue/images/placeholders';

  @IsInt() @Min(0) catalog_sync_interval_hours = 4;
  @IsInt() @Min(0) pre_fire_lock_minutes_default = 15;
  @IsNumber() @Min(0.1) state_poll_interval_sec = 3.0;
  @IsNumber() @Min(0) playlist_bulk_add_delay_sec = 0.5;
  @IsInt() @Min(0) playlist_bulk_add_max_retries = 2;
  @IsInt() @Min(0) @Max(65535) prometheus_port = 28292;

  /** 0.15.1 keys, accepted so newer config files load too. */
  @IsIn(LOG_LEVELS) log_level: LogLevelName = 'info';
  @IsIn(LOG_LEVELS) promo_log_level: LogLevelName = 'info';

  /** Ours: peers whose X-Forwarded-For is believed (e.g. ["127.0.0.1"] behind nginx). */
  @IsArray() @IsString({ each: true }) trusted_proxies: string[] = [];
  /** Ours: Secure cookie flag. "auto" = only when the request arrived over HTTPS. */
  @IsIn(['auto', 'always', 'never']) cookie_secure: 'auto' | 'always' | 'never' = 'auto';
  /**
   * Ours: the CyTube account names of the channel's bots. Items they queued read as "Channel", never
   * as the bot's name (webqueue also learns the name from its own inserts).
   */
  @IsArray() @IsString({ each: true }) bot_names: string[] = [];
  /** Ours: run the catalog sync once at start-up (0.10.0 did; 0.21.0 stopped). */
  @IsBoolean() catalog_sync_on_start = false;
  /**
   * Ours: how long a purchase may take before the viewer is answered "still working" (202). The
   * purchase itself goes on and ends in a queued item or a refund. Below nginx's read timeout.
   */
  @IsNumber() @Min(1) @Max(600) purchase_deadline_sec = 40;
  /**
   * Ours: how long an uncertain spend (the economy gave no usable answer) is looked for in the
   * economy's transactions before it is closed as never charged.
   */
  @IsNumber() @Min(1) @Max(1440) uncertain_spend_horizon_minutes = 30;
}
