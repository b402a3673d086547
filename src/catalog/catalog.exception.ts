import { DomainException } from '../common/domain-exception';

export enum CatalogErrorCode {
  ItemNotFound = 'item_not_found',
  QueryRequired = 'query_required',
}

/** 404: unknown, gone, reserved, in a promo pool, or hidden (for non-admins). */
export class CatalogItemNotFoundException extends DomainException {
  constructor(detail = 'Item not found in catalog') {
    super(404, CatalogErrorCode.ItemNotFound, detail);
  }
}

/** 400: `/catalog/search` without a query. */
export class QueryRequiredException extends DomainException {
  constructor() {
    super(400, CatalogErrorCode.QueryRequired, 'Query required');
  }
}
