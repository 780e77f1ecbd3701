// A tiny structured logger: one JSON object per line on stderr (stdout stays for command
// output such as `kpis --json`). Levels below `level` are dropped.
import type { LogFields, Logger } from '../../ports/logger.port.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface JsonLinesLoggerOptions {
  readonly level?: LogLevel;
  readonly service?: string;
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

// errors do not serialise with JSON.stringify; keep their name, message and stack
const plain = (_key: string, value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;

export class JsonLinesLogger implements Logger {
  private readonly min: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: JsonLinesLoggerOptions = {}) {
    this.min = RANK[options.level ?? 'info'];
    this.write = options.write ?? ((line) => void process.stderr.write(line));
    this.now = options.now ?? Date.now;
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void {
    if (RANK[level] < this.min) return;
    const entry = {
      time: new Date(this.now()).toISOString(),
      level,
      ...(this.options.service === undefined ? {} : { service: this.options.service }),
      message,
      ...fields,
    };
    this.write(`${JSON.stringify(entry, plain)}\n`);
  }
}
