import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { requestContext } from './request-logging.js';

/** Nest's logger interface over the process's one pino logger (JSON lines). */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...context: unknown[]): void {
    this.write('info', message, context);
  }

  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }

  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, ...context: unknown[]): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, ...context: unknown[]): void {
    this.write('fatal', message, context);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    context: unknown[],
  ): void {
    // Nest passes the context (class name) last, and an error's stack before it.
    const last = context[context.length - 1];
    const bindings: Record<string, unknown> = typeof last === 'string' ? { context: last } : {};
    const request = requestContext.getStore();
    if (request) bindings['reqId'] = request.requestId;
    if (context.length > 1 && typeof context[0] === 'string') bindings['stack'] = context[0];
    if (message instanceof Error)
      this.logger[level]({ ...bindings, err: message }, message.message);
    else if (typeof message === 'string') this.logger[level](bindings, message);
    else this.logger[level]({ ...bindings, detail: message });
  }
}
