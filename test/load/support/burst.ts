/**
 * The messages of the load burst: valid, deterministic, of every kind, each for its own segment. The burst comes
 * in waves; a segment's message in wave w describes the window 5 s (the sampling period) after its window in
 * wave w - 1, so every series receives points exactly as far apart as Cloud Monitoring allows.
 */

import type { FunctionName } from '../../../local/stack.js';
import { encodeFloat32 } from '../../../shared/contracts/float32.js';
import { lcgValues } from '../../support/messages.js';

export const LOAD_MODEL = 'load';
export const LOAD_VERSIONS = ['v1', 'v2', 'v3', 'v4'] as const;

export interface BurstMessage {
  topic: string;
  function: FunctionName;
  data: Buffer;
}

/** Kinds in the proportions of the burst (per 10 messages). */
const KINDS: readonly { function: FunctionName; topic: string; share: number }[] = [
  { function: 'driftMonitor', topic: 'predictions', share: 4 },
  { function: 'calibrationMonitor', topic: 'outcomes', share: 2 },
  { function: 'liftMonitor', topic: 'campaign-results', share: 2 },
  { function: 'upliftMonitor', topic: 'uplift-outcomes', share: 2 },
];

const u8 = (values: number[]) => Buffer.from(values).toString('base64');

/** The baseline of each load model version. */
export function loadBaselines(): Record<string, unknown>[] {
  return LOAD_VERSIONS.map((modelVersion, index) => ({
    schemaVersion: 1,
    model: LOAD_MODEL,
    modelVersion,
    predictionsF32: encodeFloat32(lcgValues(2000, 101 + index, (u) => 0.02 + 0.1 * u * u)),
  }));
}

/**
 * Message `index` of a wave of `perWave` messages. `firstWindowEnd` is the window of wave 0; each later wave is
 * 5 s later. Segments: 50 markets x cohorts, one per message of a wave.
 */
export function burstMessage(index: number, wave: number, firstWindowEnd: Date): BurstMessage {
  const kind = KINDS[pickKind(index)]!;
  const seed = index * 7 + 1;
  const common = {
    schemaVersion: 1,
    model: LOAD_MODEL,
    modelVersion: LOAD_VERSIONS[index % LOAD_VERSIONS.length],
    segment: { market: `m${index % 50}`, cohort: `c${Math.floor(index / 50)}` },
    windowEnd: new Date(firstWindowEnd.getTime() + wave * 5_000).toISOString(),
  };
  const compact = (index + wave) % 2 === 1;
  let message: Record<string, unknown>;
  switch (kind.function) {
    case 'driftMonitor': {
      const predictions = lcgValues(200, seed + wave, (u) => 0.02 + 0.1 * u * (0.8 + 0.4 * u));
      message = compact
        ? { ...common, predictionsF32: encodeFloat32(predictions) }
        : { ...common, predictions };
      break;
    }
    case 'calibrationMonitor': {
      const predictions = lcgValues(300, seed + wave, (u) => 0.02 + 0.5 * u);
      const draws = lcgValues(300, seed + 17);
      const outcomes = predictions.map((p, i) => (draws[i]! < p ? 1 : 0));
      message = compact
        ? { ...common, predictionsF32: encodeFloat32(predictions), outcomesU8: u8(outcomes) }
        : { ...common, predictions, outcomes };
      break;
    }
    case 'liftMonitor': {
      const draws = lcgValues(12, seed + wave);
      message = {
        ...common,
        campaigns: Array.from({ length: 6 }, (_, i) => ({
          campaignId: `cmp-${index}-${i}`,
          predictedLift: 0.005 + 0.02 * draws[i]!,
          predictedLiftInterval: { lower: 0, upper: 0.04 },
          treatment: { units: 4000 + 50 * i, conversions: 300 + Math.floor(100 * draws[i + 6]!) },
          control: { units: 1000 + 10 * i, conversions: 60 + i },
        })),
      };
      break;
    }
    default: {
      const uplift = lcgValues(240, seed + wave, (u) => u / 10 - 0.02);
      const treatment = uplift.map((_, i) => (i % 3 === 0 ? 0 : 1));
      const draws = lcgValues(240, seed + 29);
      const outcomes = uplift.map((score, i) =>
        draws[i]! < 0.05 + (treatment[i] ? Math.max(score, 0) * 3 : 0) ? 1 : 0,
      );
      message = compact
        ? {
            ...common,
            upliftF32: encodeFloat32(uplift),
            treatmentU8: u8(treatment),
            outcomesU8: u8(outcomes),
          }
        : { ...common, uplift, treatment, outcomes };
    }
  }
  return { topic: kind.topic, function: kind.function, data: Buffer.from(JSON.stringify(message)) };
}

function pickKind(index: number): number {
  let slot = index % 10;
  for (const [position, kind] of KINDS.entries()) {
    if (slot < kind.share) return position;
    slot -= kind.share;
  }
  return 0;
}
