/** Runs the built liftwatch CLI as a user would, on message files in a temporary folder. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = new URL('../../bin/liftwatch.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function liftwatch(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A temporary folder of message files, removed by cleanup(). */
export function messageFolder(): {
  file(contents: Buffer | string | object): string;
  path: string;
  cleanup(): void;
} {
  const path = mkdtempSync(join(tmpdir(), 'liftwatch-cli-'));
  let counter = 0;
  return {
    path,
    file(contents) {
      const name = join(path, `message-${++counter}.json`);
      writeFileSync(
        name,
        typeof contents === 'string' || Buffer.isBuffer(contents) ? contents : JSON.stringify(contents),
      );
      return name;
    },
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}
