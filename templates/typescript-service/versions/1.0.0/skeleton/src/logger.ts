/**
 * Structured logging: one JSON object per line on stdout (errors on stderr), ready for any log
 * pipeline. Never log secrets such as DATABASE_URL or REDIS_URL.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: {
  service: string;
  level?: LogLevel;
  write?: (line: string, level: LogLevel) => void;
}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const write =
    options.write ??
    ((line: string, level: LogLevel) =>
      (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`));
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) {
      return;
    }
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        service: options.service,
        message,
        ...fields,
      }),
      level,
    );
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
