import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OptionalText, toInt } from '../../common/validation';

/** `GET /admin/jobs/runs?job=&limit=10`. */
export class JobRunsQueryDto {
  @OptionalText(100) job?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}
