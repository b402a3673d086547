import { DomainException } from '../common/domain-exception';

export interface PromoSettingsProblem {
  /** Dotted path, e.g. `general.every_n_items`. */
  field: string;
  /** The field as the admin page names it. */
  label: string;
  /** In words, naming the field by its label. */
  message: string;
}

/** 400: a promo settings change that the config classes refuse; `errors` lists each field. */
export class InvalidPromoSettingsException extends DomainException {
  constructor(readonly problems: PromoSettingsProblem[]) {
    super(
      400,
      'invalid_promo_settings',
      problems.map((p) => p.message).join('; ') || 'Invalid promo settings',
      { errors: problems },
    );
  }
}

/** 503: the settings could not be written (and, not being "turn promos off", were not applied). */
export class PromoSettingsNotSavedException extends DomainException {
  constructor(reason: string) {
    super(
      503,
      'promo_settings_not_saved',
      `The promo settings could not be saved, so nothing changed (${reason}).`,
    );
  }
}
