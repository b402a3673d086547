import { Column, type ColumnOptions } from 'typeorm';

/**
 * The one place that decides how a point in time is stored. On SQLite TypeORM writes
 * `datetime` values as UTC `YYYY-MM-DD HH:MM:SS.SSS` text and binds Date parameters the
 * same way, so comparisons are real time comparisons (never ISO text against datetime('now')).
 * On PostgreSQL the same columns become `timestamptz`.
 */
const TIMESTAMP_TYPE = process.env.WQ_DB_TYPE === 'postgres' ? 'timestamptz' : 'datetime';

export function TimestampColumn(options: Omit<ColumnOptions, 'type'> = {}): PropertyDecorator {
  return Column({ type: TIMESTAMP_TYPE, ...options });
}

export function NullableTimestampColumn(
  options: Omit<ColumnOptions, 'type' | 'nullable'> = {},
): PropertyDecorator {
  return Column({ type: TIMESTAMP_TYPE, nullable: true, ...options });
}
