#!/usr/bin/env node
// The liftwatch CLI. Runs the compiled TypeScript (npm install builds it; so does npm run build).
import { existsSync } from 'node:fs';

const entry = new URL('../build/cli/liftwatch.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('liftwatch: not built yet; run `npm run build` in the liftwatch folder\n');
  process.exit(70);
}
const { main } = await import(entry.href);
process.exitCode = main(
  process.argv.slice(2),
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
);
