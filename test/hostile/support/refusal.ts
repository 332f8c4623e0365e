/** What a refusal of a hostile case must look like in the function's structured log. */
import assert from 'node:assert/strict';
import type { HostileCase } from './corpus.js';

/** Cloud Logging's limit for one log entry: a refusal must never come close to it. */
export const LOG_ENTRY_LIMIT_BYTES = 256 * 1024;

export function assertRefusal(entry: HostileCase, line: Record<string, unknown>, rawLine?: string): void {
  const where = `${entry.name} (${entry.description})`;
  assert.equal(line.severity, 'ERROR', where);
  assert.equal(line.reason, entry.reason, `${where}: reason`);
  assert.equal(line.acknowledged, true, `${where}: acknowledged`);
  if (entry.reason === 'invalid_message') {
    const issues = line.issues as { path: string; message: string }[];
    const issue = issues.find((candidate) => candidate.path === entry.field);
    assert.ok(issue, `${where}: an issue names ${entry.field}; got ${JSON.stringify(issues).slice(0, 500)}`);
    assert.ok(
      issue.message.includes(entry.message),
      `${where}: "${issue.message}" should contain "${entry.message}"`,
    );
  } else {
    assert.ok(String(line.message).includes(entry.field), `${where}: the message names ${entry.field}`);
    assert.ok(
      String(line.message).includes(entry.message),
      `${where}: "${line.message}" / "${entry.message}"`,
    );
  }
  if (rawLine !== undefined) {
    assert.ok(
      Buffer.byteLength(rawLine) < LOG_ENTRY_LIMIT_BYTES,
      `${where}: the refusal log line is ${Buffer.byteLength(rawLine)} bytes`,
    );
  }
}
