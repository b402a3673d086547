import { Injectable, Logger } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppConfig, PromosConfig } from '../config/app-config';
import { InvalidPromoSettingsException, type PromoSettingsProblem } from './promo.exception';
import { PROMO_SETTING_KEYS, PromoSettingsRepository } from './promo-settings.repository';

export interface PromoSettingsView {
  config: PromosConfig;
  /** `file` = the config file's block; `runtime` = saved from the admin page. */
  source: 'file' | 'runtime';
  updated_at: string | null;
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

  constructor(
    private readonly appConfig: AppConfig,
    private readonly repo: PromoSettingsRepository,
  ) {}

  async effective(): Promise<PromosConfig> {
    return (await this.load()).config;
  }

  async view(): Promise<PromoSettingsView> {
    const loaded = await this.load();
    return {
      config: loaded.config,
      source: loaded.source,
      updated_at: loaded.updated_at?.toISOString() ?? null,
      file: this.appConfig.promos,
    };
  }

  /** Merge `patch` onto the effective settings, validate, persist, apply. */
  async update(patch: unknown): Promise<PromoSettingsView> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new InvalidPromoSettingsException([{ field: '(body)', message: 'must be a JSON object' }]);
    }
    const current = instanceToPlain(await this.effective());
    const merged = deepMerge(current, patch as Record<string, unknown>);
    const config = validatePromosConfig(merged);
    await this.repo.write(PROMO_SETTING_KEYS.config, instanceToPlain(config));
    this.cached = null;
    this.logger.log('promo settings saved (applied from the next director tick)');
    return this.view();
  }

  /** Back to the config file's block. */
  async reset(): Promise<PromoSettingsView> {
    await this.repo.remove(PROMO_SETTING_KEYS.config);
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
export function validatePromosConfig(raw: unknown): PromosConfig {
  const config = plainToInstance(PromosConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  const problems = flatten(errors);
  if (problems.length > 0) throw new InvalidPromoSettingsException(problems);
  return config;
}

function flatten(errors: ValidationError[], prefix = ''): PromoSettingsProblem[] {
  const out: PromoSettingsProblem[] = [];
  for (const error of errors) {
    const field = prefix + error.property;
    if (error.constraints) out.push({ field, message: Object.values(error.constraints).join('; ') });
    if (error.children?.length) out.push(...flatten(error.children, `${field}.`));
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
