import { QueryInt } from '../../common/validation';

/** `?limit=20&offset=0` for /user/transactions and /queue/history (limit 1–100, offset ≥ 0). */
export class PageQueryDto {
  @QueryInt('limit', 1, 100) limit: number = 20;
  @QueryInt('offset', 0, 1_000_000_000) offset: number = 0;
}
