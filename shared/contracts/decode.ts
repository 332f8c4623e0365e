/** The boundary: raw message bytes in, a validated message or an InvalidMessageError naming each bad field out. */
import type * as z from 'zod';
import { type FieldIssue, InvalidMessageError } from '../errors.js';
import { MAX_MESSAGE_BYTES } from './common.js';

/** Issues named in a refusal; the rest are counted. */
export const MAX_REPORTED_ISSUES = 20;

/** Longest path or reason quoted in a refusal; longer ones (a hostile field name) are cut. */
export const MAX_ISSUE_TEXT = 200;

function shorten(text: string): string {
  return text.length <= MAX_ISSUE_TEXT
    ? text
    : `${text.slice(0, MAX_ISSUE_TEXT)}… (${text.length} characters)`;
}

/** Turns zod's issues into field paths a producer can act on (`predictions[3]`, `segment.market`). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  const issues = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: fieldPath([...issue.path, key]),
          message: 'is not a field of this message',
        }))
      : [{ path: fieldPath(issue.path) || 'data', message: issueMessage(issue) }],
  );
  // A message of a hundred thousand broken campaigns must not become a log line of a hundred thousand issues,
  // nor a four-megabyte field name a four-megabyte path.
  const listed = issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map(({ path, message }) => ({ path: shorten(path), message: shorten(message) }));
  if (issues.length <= MAX_REPORTED_ISSUES) return listed;
  return [...listed, { path: 'data', message: `and ${issues.length - MAX_REPORTED_ISSUES} more issues` }];
}

/** A record key's issue is nested; say which key and why (`segment."a b": keys must match ...`). */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return issue.issues.map((nested) => nested.message).join('; ');
  return issue.message;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (joined, key) =>
      typeof key === 'number' ? `${joined}[${key}]` : joined ? `${joined}.${String(key)}` : String(key),
    '',
  );
}

/** Parses JSON message data against a contract, refusing empty, oversized and malformed data. */
export function decodeMessage<Schema extends z.ZodType>(
  schema: Schema,
  data: Uint8Array | string | undefined | null,
): z.infer<Schema> {
  if (data === undefined || data === null || data.length === 0) {
    throw new InvalidMessageError([{ path: 'data', message: 'message data is empty' }]);
  }
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new InvalidMessageError([
      { path: 'data', message: `message data is ${bytes} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
  } catch (error) {
    throw new InvalidMessageError([
      { path: 'data', message: `is not valid JSON (${(error as Error).message})` },
    ]);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new InvalidMessageError(fieldIssues(result.error), claimedIdentity(json));
  return result.data;
}

/** The model and version a refused message claims, when they are short strings (never its other fields). */
function claimedIdentity(json: unknown): { model?: string; modelVersion?: string } {
  const claimed: { model?: string; modelVersion?: string } = {};
  if (typeof json !== 'object' || json === null) return claimed;
  for (const key of ['model', 'modelVersion'] as const) {
    const value = (json as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length <= 64) claimed[key] = value;
  }
  return claimed;
}
