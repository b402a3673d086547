import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { LogLevelName } from '../config/app-config';

/** Map the config's level names (Python-style, as in the old service) to Nest log levels. */
export function logLevelsFor(level: LogLevelName): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const upTo: Record<LogLevelName, LogLevel> = {
    debug: 'debug',
    info: 'log',
    warning: 'warn',
    warn: 'warn',
    error: 'error',
  };
  return order.slice(0, order.indexOf(upTo[level]) + 1);
}

/** Structured (one JSON object per line) logs at the configured level. */
export function createAppLogger(level: LogLevelName, json = true): ConsoleLogger {
  return new ConsoleLogger({ json, logLevels: logLevelsFor(level), colors: false });
}
