/**
 * Structured logs as Cloud Logging reads them from a function's stdout: one JSON object per line, with
 * `severity` and `message` (https://cloud.google.com/logging/docs/structured-logging). Extra fields land in
 * jsonPayload, so on-call can query e.g. jsonPayload.reason="unknown_baseline" AND jsonPayload.model="lift".
 */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

export type LogFields = Record<string, unknown>;

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** Redirects log lines (tests capture them; the CLI keeps stdout for its result). */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

export function log(severity: Severity, message: string, fields: LogFields = {}): void {
  sink(JSON.stringify({ severity, message, ...fields, time: new Date().toISOString() }));
}
