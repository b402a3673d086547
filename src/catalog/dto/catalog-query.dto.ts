import { IsIn, IsOptional } from 'class-validator';
import { OptionalText, QueryBoolean, QueryPage } from '../../common/validation';
import { type CatalogLength, type CatalogSort, LENGTHS, SORTS } from '../catalog.rules';

/** The filters browse and search share: category slug, tag name, page, show_hidden (admins only). */
class CatalogFilterQuery {
  @OptionalText(200) category?: string;
  @OptionalText(200) tag?: string;
  @QueryPage() page?: number;
  @QueryBoolean('show_hidden') show_hidden?: boolean;

  @IsOptional()
  @IsIn(LENGTHS, { message: `length must be one of: ${LENGTHS.join(', ')}` })
  length?: CatalogLength;
}

/** `GET /catalog/browse`. An unknown `sort` falls back to `default`. */
export class BrowseQueryDto extends CatalogFilterQuery {
  /** Browse keeps 0.10.0's leniency: unknown keys mean `default`. */
  @OptionalText(50) sort?: string;
}

/** `GET /catalog/search`: like browse plus `q`; an unknown `sort` is a 400 here. */
export class SearchQueryDto extends CatalogFilterQuery {
  /** Blank → 400 "Query required" (checked by the service, so pages can redirect instead). */
  @OptionalText(2000, 'q must be a single string') q?: string;

  @IsOptional()
  @IsIn(SORTS, { message: `sort must be one of: ${SORTS.join(', ')}` })
  sort?: CatalogSort;
}
