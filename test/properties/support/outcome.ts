/** Property-test helpers: the only errors a decoder or statistic may throw, and finiteness of results. */
import assert from 'node:assert/strict';
import { InvalidMessageError } from '../../../shared/errors.js';

/**
 * Runs `decode`; returns its result, or undefined when it refused the input with an InvalidMessageError that
 * names at least one field and a reason. Any other error fails the property.
 */
export function decodedOrRefused<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof InvalidMessageError)) throw error;
    assert.ok(error.issues.length > 0, 'a refusal names at least one issue');
    for (const issue of error.issues) {
      assert.equal(typeof issue.path, 'string');
      assert.ok(issue.message.length > 0, `the issue at ${issue.path} has a reason`);
    }
    return undefined;
  }
}

/** Runs `compute`; a RangeError (the statistics' documented refusal) is allowed, any other error is not. */
export function computedOrRangeError<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * Asserts every number in a result (nested objects and arrays included) is finite; `nullable` names the fields
 * documented as possibly null.
 */
export function assertFiniteResult(value: unknown, nullable: ReadonlySet<string>, path = 'result'): void {
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
    return;
  }
  if (value === null) {
    const field = path.slice(path.lastIndexOf('.') + 1);
    assert.ok(nullable.has(field), `${path} is null, which is not documented`);
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) assertFiniteResult(item, nullable, `${path}[${index}]`);
    return;
  }
  if (ArrayBuffer.isView(value)) {
    for (const [index, item] of Array.from(value as unknown as ArrayLike<number>).entries())
      assertFiniteResult(item, nullable, `${path}[${index}]`);
    return;
  }
  if (typeof value === 'object' && value !== undefined) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (typeof item === 'string' || typeof item === 'boolean' || item === undefined) continue;
      assertFiniteResult(item, nullable, `${path}.${key}`);
    }
  }
}
