/**
 * The hostile corpus (test/hostile/corpus/manifest.json): each case's message data, read from its file (with the
 * window placeholders filled in) or generated here when it is too large to commit.
 */
import { readFileSync } from 'node:fs';
import type { FunctionName } from '../../../local/stack.js';
import { MAX_MESSAGE_BYTES } from '../../../shared/contracts/common.js';

export interface HostileCase {
  name: string;
  file?: string;
  generate?: keyof typeof generators;
  /** `pubsub` (default): published to the topic; `push`: POSTed to the function as a push (over Pub/Sub's limit). */
  delivery?: 'pubsub' | 'push';
  contract:
    | 'PredictionBatch'
    | 'Baseline'
    | 'OutcomeBatch'
    | 'CampaignResults'
    | 'UpliftBatch'
    | 'FeatureBatch';
  topic: string;
  reason: 'invalid_message' | 'unwritable';
  field: string;
  message: string;
  description: string;
}

const corpus = new URL('../corpus/', import.meta.url);

export const hostileCases: HostileCase[] = (
  JSON.parse(readFileSync(new URL('manifest.json', corpus), 'utf8')) as { cases: HostileCase[] }
).cases;

export const FUNCTION_OF: Record<HostileCase['contract'], FunctionName> = {
  PredictionBatch: 'driftMonitor',
  Baseline: 'registerBaseline',
  OutcomeBatch: 'calibrationMonitor',
  CampaignResults: 'liftMonitor',
  UpliftBatch: 'upliftMonitor',
  FeatureBatch: 'featureMonitor',
};

/** The window hostile messages describe when the window is not what they attack: a few minutes ago. */
export function hostileWindowEnd(): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
}

/** The message data of a case, as it is sent. */
export function hostileData(entry: HostileCase, windowEnd = hostileWindowEnd()): Buffer {
  if (entry.generate) return generators[entry.generate](windowEnd);
  const text = readFileSync(new URL(entry.file!, corpus), 'utf8')
    .replaceAll('{{windowEnd-25h1s}}', new Date(Date.now() - (25 * 3600 + 1) * 1000).toISOString())
    .replaceAll('{{windowEnd}}', windowEnd.toISOString());
  return Buffer.from(text, 'utf8');
}

const common = (windowEnd: Date) => ({
  schemaVersion: 1,
  model: 'hostile',
  modelVersion: 'v1',
  segment: { case: 'hostile' },
  windowEnd: windowEnd.toISOString(),
});

/** A prediction batch whose `predictions` (or other field) is the raw JSON text given. */
function withRaw(message: Record<string, unknown>, field: string, raw: string): Buffer {
  const json = JSON.stringify({ ...message, [field]: '__RAW__' });
  return Buffer.from(json.replace('"__RAW__"', raw));
}

const generators = {
  deepNestedArrays: (windowEnd: Date) =>
    withRaw(common(windowEnd), 'predictions', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  deepNestedSegment: (windowEnd: Date) =>
    withRaw(
      { ...common(windowEnd), predictions: [0.1] },
      'segment',
      `${'{"a":'.repeat(100_000)}"x"${'}'.repeat(100_000)}`,
    ),
  hugeArray: (windowEnd: Date) => withRaw(common(windowEnd), 'predictions', `[${'0,'.repeat(1_000_000)}0]`),
  hugeModelString: (windowEnd: Date) =>
    Buffer.from(JSON.stringify({ ...common(windowEnd), model: 'a'.repeat(9_000_000), predictions: [0.1] })),
  hugeLabelValue: (windowEnd: Date) =>
    Buffer.from(
      JSON.stringify({
        ...common(windowEnd),
        segment: { market: 's'.repeat(1_000_000) },
        predictions: [0.1],
      }),
    ),
  over10MB: (windowEnd: Date) =>
    withRaw(
      { ...common(windowEnd), treatment: [1], outcomes: [0] },
      'predictions',
      `[${'0.1,'.repeat(Math.ceil(MAX_MESSAGE_BYTES / 4) + 100_000)}0.1]`,
    ),
  baselineOverValueLimit: () =>
    withRaw(
      { schemaVersion: 1, model: 'hostile', modelVersion: 'v-hostile' },
      'predictions',
      `[${'0,'.repeat(1_750_000)}0]`,
    ),
  hugeOddFloat32: (windowEnd: Date) =>
    Buffer.from(
      JSON.stringify({
        ...common(windowEnd),
        predictionsF32: Buffer.alloc(4_000_001, 0x3e).toString('base64'),
        outcomes: [0],
      }),
    ),
  hugeCampaignId: (windowEnd: Date) =>
    Buffer.from(
      JSON.stringify({
        ...common(windowEnd),
        campaigns: [
          {
            campaignId: 'c'.repeat(5_000_000),
            predictedLift: 0.01,
            treatment: { units: 10, conversions: 1 },
            control: { units: 10, conversions: 1 },
          },
        ],
      }),
    ),
  counts65536Categories: (windowEnd: Date) =>
    Buffer.from(
      JSON.stringify({
        ...common(windowEnd),
        features: {
          device: {
            kind: 'categorical',
            counts: Object.fromEntries(Array.from({ length: 65_536 }, (_, i) => [`c${i}`, 1])),
            missing: 0,
          },
        },
      }),
    ),
} as const;
