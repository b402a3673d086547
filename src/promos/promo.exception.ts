import { DomainException } from '../common/domain-exception';

export interface PromoSettingsProblem {
  /** Dotted path, e.g. `general.every_n_items`. */
  field: string;
  message: string;
}

/** 400: a promo settings change that the config classes refuse; `errors` lists each field. */
export class InvalidPromoSettingsException extends DomainException {
  constructor(readonly problems: PromoSettingsProblem[]) {
    super(
      400,
      'invalid_promo_settings',
      problems.map((p) => `${p.field}: ${p.message}`).join('; ') || 'Invalid promo settings',
      { errors: problems },
    );
  }
}
