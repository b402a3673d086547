import { Injectable, Logger } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppConfig, PromosConfig } from '../config/app-config';
import { poolRuleProblems } from '../config/app-config';
import {
  InvalidPromoSettingsException,
  PromoSettingsNotSavedException,
  type PromoSettingsProblem,
} from './promo.exception';
import { PromoPoolsService } from './promo-pools.service';
import { PROMO_SETTING_KEYS, PromoSettingsRepository } from './promo-settings.repository';

export interface PromoSettingsView {
  config: PromosConfig;
  /** `file` = the config file's block; `runtime` = saved from the admin page; `unsaved` = applied but not persisted. */
  source: 'file' | 'runtime' | 'unsaved';
  updated_at: string | null;
  /** false when what applies now could not be written (it is lost at a restart). */
  persisted: boolean;
  /** Said to the admin when `persisted` is false. */
  warning: string | null;
  /** The config file's block (what "reset" goes back to). */
  file: PromosConfig;
}

/**
 * The effective promo settings: the config file's `promos` block, unless an admin saved
 * settings at runtime (app_settings `promos.config`). Saved settings are validated with the same
 * class-validator classes as the config file and apply to the next director tick, no restart.
 */
@Injectable()
export class PromoSettingsService {
  private readonly logger = new Logger('PromoSettings');
  private cached: { config: PromosConfig; source: 'file' | 'runtime'; updated_at: Date | null } | null = null;
  /**
   * Turning promos off applies at once even when the database refuses the write: held here (and
   * shown as not saved) until a save or reset succeeds.
   */
  private unsaved: { config: PromosConfig; warning: string } | null = null;

  constructor(
    private readonly appConfig: AppConfig,
    private readonly repo: PromoSettingsRepository,
    private readonly pools: PromoPoolsService,
  ) {}

  async effective(): Promise<PromosConfig> {
    if (this.unsaved) return this.unsaved.config;
    return (await this.load()).config;
  }

  async view(): Promise<PromoSettingsView> {
    if (this.unsaved) {
      return {
        config: this.unsaved.config,
        source: 'unsaved',
        updated_at: null,
        persisted: false,
        warning: this.unsaved.warning,
        file: this.appConfig.promos,
      };
    }
    const loaded = await this.load();
    return {
      config: loaded.config,
      source: loaded.source,
      updated_at: loaded.updated_at?.toISOString() ?? null,
      persisted: true,
      warning: null,
      file: this.appConfig.promos,
    };
  }

  /**
   * Merge `patch` onto the effective settings, validate, persist, apply. When the write fails,
   * turning promos off still applies (memory only, said in the answer); any other change is refused.
   * @throws InvalidPromoSettingsException (400) · PromoSettingsNotSavedException (503)
   */
  async update(patch: unknown): Promise<PromoSettingsView> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new InvalidPromoSettingsException([
        { field: '(body)', label: 'The settings', message: 'The settings must be a JSON object' },
      ]);
    }
    const current = instanceToPlain(await this.effective());
    const merged = deepMerge(current, patch as Record<string, unknown>);
    // The pools' rules are replaced as a whole (a pool left out goes back to the defaults).
    const patchesPools = Object.hasOwn(patch, 'pools');
    if (patchesPools) merged.pools = (patch as Record<string, unknown>).pools;
    const names = await this.poolNames();
    const config = validatePromosConfig(merged, names);
    if (patchesPools) {
      const unknown = Object.keys(config.pools).filter((id) => !names.has(Number(id)));
      if (unknown.length > 0) {
        throw new InvalidPromoSettingsException(
          unknown.map((id) => ({
            field: `pools.${id}`,
            label: `Pool ${id}`,
            message: `There is no promo pool with id ${id} (tag a playlist with a promo type first)`,
          })),
        );
      }
    }
    try {
      await this.repo.write(PROMO_SETTING_KEYS.config, instanceToPlain(config));
    } catch (err) {
      const reason = (err as Error).message;
      this.logger.error(`saving the promo settings failed: ${reason}`);
      if (!config.enabled) {
        this.unsaved = {
          config,
          warning:
            'Promos are off now, but the setting could not be saved: after a restart the saved settings ' +
            `come back. Save again when the database is back (${reason}).`,
        };
        return this.view();
      }
      throw new PromoSettingsNotSavedException(reason);
    }
    this.unsaved = null;
    this.cached = null;
    this.logger.log('promo settings saved (applied from the next director tick)');
    return this.view();
  }

  /** Pool (playlist) id → name, to name pools in messages and refuse rules for unknown ones. */
  private async poolNames(): Promise<Map<number, string>> {
    const view = await this.pools.load();
    const names = new Map<number, string>();
    for (const type of Object.values(view.summary)) {
      for (const pool of type.pools) names.set(pool.id, pool.name);
    }
    return names;
  }

  /** Back to the config file's block. */
  async reset(): Promise<PromoSettingsView> {
    await this.repo.remove(PROMO_SETTING_KEYS.config);
    this.unsaved = null;
    this.cached = null;
    return this.view();
  }

  private async load(): Promise<NonNullable<PromoSettingsService['cached']>> {
    if (this.cached) return this.cached;
    const saved = await this.repo.read(PROMO_SETTING_KEYS.config);
    let loaded: NonNullable<PromoSettingsService['cached']> = {
      config: this.appConfig.promos,
      source: 'file',
      updated_at: null,
    };
    if (saved) {
      try {
        loaded = {
          config: validatePromosConfig(saved.value),
          source: 'runtime',
          updated_at: saved.updated_at,
        };
      } catch (err) {
        const detail = err instanceof InvalidPromoSettingsException ? err.detail : (err as Error).message;
        this.logger.error(`saved promo settings are invalid, using the config file: ${detail}`);
      }
    }
    this.cached = loaded;
    return loaded;
  }
}

/** The config file's rules (PromosConfig), unknown keys refused. */
export function validatePromosConfig(
  raw: unknown,
  poolNames: ReadonlyMap<number, string> = new Map(),
): PromosConfig {
  const config = plainToInstance(PromosConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  const problems = flatten(errors, '', poolNames).filter((p) => p.field !== 'pools');
  // The pools' rules are checked one by one (a record of classes), each named by its path.
  if (errors.some((e) => e.property === 'pools')) {
    for (const line of poolRuleProblems((raw as { pools?: unknown } | null)?.pools ?? {})) {
      const [path, ...rest] = line.split(': ');
      const field = rest.length > 0 ? path : 'pools';
      problems.push(inWords(field, rest.length > 0 ? rest.join(': ') : line, poolNames));
    }
  }
  if (problems.length > 0) throw new InvalidPromoSettingsException(problems);
  return config;
}

/** What the admin page calls each setting (messages name fields in words, not config keys). */
const FIELD_LABELS: Record<string, string> = {
  enabled: 'Promos enabled',
  shadow_mode: 'Shadow mode',
  movie_threshold_seconds: 'Movie threshold (seconds)',
  timezone: 'Time zone',
  'general.every_n_items': 'General promo every N content items',
  'general.every_m_minutes': 'General promo every M minutes',
  'general.no_repeat': 'No repeat',
  'general.clip_cooldown_minutes': 'Clip cooldown (minutes)',
};
const TYPE_LABELS: Record<string, string> = {
  channel_identity: 'Channel identity',
  event: 'Event',
  mod_shoutout: 'Mod shout-out',
  feature_presentation: 'Feature Presentation',
  viewers_choice: "Viewer's Choice",
};

const POOL_FIELD_LABELS: Record<string, string> = {
  weight: 'weight',
  cooldown_minutes: 'rest (minutes)',
  window: 'hours',
  'window.start': 'hours from',
  'window.end': 'hours until',
  'window.days': 'days',
};

export function fieldLabel(field: string, poolNames: ReadonlyMap<number, string> = new Map()): string {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  const type = /^types\.([a-z_]+)\.([a-z_]+)$/.exec(field);
  if (type) return `${TYPE_LABELS[type[1]] ?? type[1]} ${type[2]}`;
  const pool = /^pools\.(\d+)\.(.+)$/.exec(field);
  if (pool) {
    const name = poolNames.get(Number(pool[1]));
    return `${name ? `“${name}”` : `Pool ${pool[1]}`} ${POOL_FIELD_LABELS[pool[2]] ?? pool[2]}`;
  }
  return field;
}

/** class-validator says "every_n_items must not be less than 1": name the field in words instead. */
function inWords(
  field: string,
  message: string,
  poolNames?: ReadonlyMap<number, string>,
): PromoSettingsProblem {
  const label = fieldLabel(field, poolNames);
  const property = field.split('.').pop() as string;
  const text = message.startsWith(`${property} `)
    ? `${label} ${message.slice(property.length + 1)}`
    : `${label}: ${message}`;
  return { field, label, message: text.replace('must not be less than', 'must be at least') };
}

function flatten(
  errors: ValidationError[],
  prefix: string,
  poolNames: ReadonlyMap<number, string>,
): PromoSettingsProblem[] {
  const out: PromoSettingsProblem[] = [];
  for (const error of errors) {
    const field = prefix + error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push(inWords(field, message, poolNames));
    }
    if (error.children?.length) out.push(...flatten(error.children, `${field}.`, poolNames));
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const own = Object.hasOwn(base, key) ? base[key] : undefined;
    out[key] = isPlainObject(value) && isPlainObject(own) ? deepMerge(own, value) : value;
  }
  return out;
}
