import { Column, type ColumnOptions } from 'typeorm';

/**
 * The one place that decides how a point in time is stored. On SQLite TypeORM writes
 * `datetime` values as UTC `YYYY-MM-DD HH:MM:SS.SSS` text and binds Date parameters the
 * same way, so comparisons are real time comparisons (never ISO text against datetime('now')).
 * On PostgreSQL the same columns are native `timestamptz`.
 *
 * Decorators run when an entity file is first loaded, before the config says which database
 * this is, so each timestamp column's options object is kept here and given its type by
 * `useTimestampType` just before a DataSource builds its metadata.
 */
export type DatabaseKind = 'sqlite' | 'postgres';

const TIMESTAMP_TYPE: Record<DatabaseKind, ColumnOptions['type']> = {
  sqlite: 'datetime',
  postgres: 'timestamptz',
};

const timestampColumns = new Set<ColumnOptions>();

export function TimestampColumn(options: Omit<ColumnOptions, 'type'> = {}): PropertyDecorator {
  const column: ColumnOptions = { type: TIMESTAMP_TYPE.sqlite, ...options };
  timestampColumns.add(column);
  return Column(column);
}

export function NullableTimestampColumn(
  options: Omit<ColumnOptions, 'type' | 'nullable'> = {},
): PropertyDecorator {
  return TimestampColumn({ nullable: true, ...options });
}

/** Give every timestamp column the type of `kind` (call before `DataSource.initialize`). */
export function useTimestampType(kind: DatabaseKind): void {
  for (const column of timestampColumns) column.type = TIMESTAMP_TYPE[kind];
}
