import type { Writable } from "node:stream";
import { isSpanContextValid, trace } from "@opentelemetry/api";
import { redact } from "@taskmaster/security";
import winston from "winston";
import DailyRotateFile from "winston-daily-rotate-file";
import { telemetryEnv } from "./env";
import { getRequestId } from "./request-context";

export type LogLevel = "error" | "warn" | "info" | "http" | "verbose" | "debug" | "silly";
export type Logger = winston.Logger;

export interface LoggerOptions {
  /** Defaults to LOG_LEVEL, then "info". */
  level?: LogLevel;
  service: string;
  version: string;
  /** Also write to daily-rotated files, e.g. { dir: "/var/log/taskmaster", maxSize: "20m", maxFiles: "14d" }. */
  file?: { dir: string; maxSize: string; maxFiles: string | number };
  /** Where JSON lines go instead of stdout (tests). */
  stream?: Writable;
}

/** Adds trace_id/span_id of the active span and the request id, then redacts secrets at any depth. */
const correlateAndRedact = winston.format((info) => {
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    info.trace_id = span.traceId;
    info.span_id = span.spanId;
  }
  const requestId = getRequestId();
  if (requestId && info.request_id === undefined) info.request_id = requestId;
  const clean = redact(info) as Record<string | symbol, unknown>;
  // redact() copies string keys only; winston keeps level/message/splat under symbols.
  for (const sym of Object.getOwnPropertySymbols(info)) clean[sym] = (info as Record<symbol, unknown>)[sym];
  return clean as winston.Logform.TransformableInfo;
});

/**
 * winston JSON logger: one line per record with timestamp, level, service,
 * version, trace_id, span_id and request_id; every record passes through the
 * security package's redact(); stdout always, rotated files when configured.
 */
export function createLogger(options: LoggerOptions): Logger {
  const transports: winston.transport[] = [new winston.transports.Stream({ stream: options.stream ?? process.stdout })];
  if (options.file) {
    transports.push(
      new DailyRotateFile({
        dirname: options.file.dir,
        filename: `${options.service}-%DATE%.log`,
        datePattern: "YYYY-MM-DD",
        maxSize: options.file.maxSize,
        maxFiles: options.file.maxFiles,
        zippedArchive: true,
      }),
    );
  }
  return winston.createLogger({
    level: options.level ?? telemetryEnv().LOG_LEVEL,
    defaultMeta: { service: options.service, version: options.version },
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      correlateAndRedact(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports,
  });
}
