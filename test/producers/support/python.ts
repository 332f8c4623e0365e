/** Running the Python producer's test driver (test/producers/python_producer.py) from the node tests. */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

export const PYTHON = '/usr/bin/python3';
const DRIVER = new URL('../python_producer.py', import.meta.url).pathname;

/** One message the driver built, as it printed it. */
export interface ProducedMessage {
  dataset: string;
  encoding: string;
  kind: string;
  topic: string;
  orderingKey: string;
  /** JSON Schema errors; null when the kind has no committed schema yet. */
  schemaErrors: string[] | null;
  /** The message data exactly as published. */
  data: string;
  messageId?: string;
}

/** Why the Python producer cannot run here, or false when it can (python3 with numpy and jsonschema). */
export function pythonMissing(): string | false {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const probe = spawnSync(PYTHON, ['-c', 'import numpy, jsonschema'], { encoding: 'utf8' });
  return probe.status === 0
    ? false
    : 'python3-numpy or python3-jsonschema is not installed (apt-get install python3-numpy python3-jsonschema)';
}

function run(args: string[], input?: string, env?: Record<string, string>): string {
  const done = spawnSync(PYTHON, [DRIVER, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(input !== undefined ? { input } : {}),
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  assert.equal(done.status, 0, `python_producer.py ${args.join(' ')}: ${done.stderr}`);
  return done.stdout;
}

/** Runs a driver command that prints one message per line. */
export function producedMessages(args: string[], env?: Record<string, string>): ProducedMessage[] {
  return run(args, undefined, env)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProducedMessage);
}

/** Runs a driver command that prints one JSON value per line. */
export function producedValues(args: string[]): unknown[] {
  return run(args)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

/** Runs a driver command that reads JSON on standard input and prints one JSON value. */
export function producedValue(args: string[], input: string): unknown {
  return JSON.parse(run(args, input));
}

/** Like producedMessages, without blocking the event loop (the local MetricService runs in this process). */
export async function producedMessagesAsync(
  args: string[],
  env: Record<string, string>,
): Promise<ProducedMessage[]> {
  const { stdout } = await promisify(execFile)(PYTHON, [DRIVER, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ProducedMessage);
}
