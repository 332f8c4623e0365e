/** Writes terraform/generated/alert-queries.json from alerting/alerts.json (npm run alert-queries). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { alertQueriesFile } from '../alerting/alerts.js';

const folder = new URL('../terraform/generated/', import.meta.url);
mkdirSync(folder, { recursive: true });
writeFileSync(new URL('alert-queries.json', folder), alertQueriesFile());
console.log('wrote terraform/generated/alert-queries.json');
