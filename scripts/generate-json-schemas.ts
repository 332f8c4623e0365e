/** Writes schemas/*.schema.json from the zod contracts (npm run schemas). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { jsonSchemaFiles } from './jsonSchemas.js';

const folder = new URL('../schemas/', import.meta.url);
mkdirSync(folder, { recursive: true });
for (const [file, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(new URL(file, folder), text);
  console.log(`wrote schemas/${file}`);
}
