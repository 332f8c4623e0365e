/**
 * The daily cost of monitoring 1 billion predictions a day over 10,000 segments with hourly windows (240,000
 * windows a day), raw and binned, computed from the day benchmark's measured figures (CPU per message, message
 * bytes) and the published prices below (each with its source and how sure it is), and, for the same volume,
 * Vertex AI Model Monitoring by its price per GB analyzed. List prices, before free tiers.
 *
 *   node --import tsx bench/dayCost.ts [build/bench/day.json]   prints the table from a saved day run.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import alerts from '../alerting/alerts.json' with { type: 'json' };
import { metricsToWrite } from '../shared/monitoring/catalog.js';
import queries from '../terraform/generated/alert-queries.json' with { type: 'json' };
import { AVERAGE_WINDOW_PREDICTIONS } from './dayKinds.js';
import { printTable } from './support.js';

export const PREDICTIONS_PER_DAY = 1e9;
export const SEGMENTS = 10_000;
export const WINDOWS_PER_DAY = SEGMENTS * 24;

interface Price {
  value: number;
  unit: string;
  source: string;
}

/** Published prices (USD, Tier 1 regions, list price before free tiers). */
export const PRICES = {
  pubsubPerTiB: {
    value: 40,
    unit: '$/TiB of publish and of delivery throughput',
    source:
      'https://cloud.google.com/pubsub/pricing ("$40 per TiB"; first 10 GiB a month free); not yet in ../shared/reference',
  },
  pubsubMinimumBytes: {
    value: 1000,
    unit: 'billable bytes at least, per publish, push or pull request',
    source:
      'https://cloud.google.com/pubsub/pricing ("A minimum of 1000 bytes per publish, push or pull request")',
  },
  pubsubMessageOverheadBytes: {
    value: 100,
    unit: 'bytes billed per message besides its data (20 B timestamp, message_id, ordering key; assumed)',
    source: 'https://cloud.google.com/pubsub/pricing ("The data volume of a message is the sum of ...")',
  },
  runVcpuSecond: {
    value: 0.000024,
    unit: '$/vCPU-second, CPU allocated only during requests',
    source:
      'https://cloud.google.com/run/pricing (free: 180,000 vCPU-s a month; billable time "rounded up to the nearest 100 millisecond"); not yet in ../shared/reference',
  },
  runGibSecond: {
    value: 0.0000025,
    unit: '$/GiB-second',
    source: 'https://cloud.google.com/run/pricing (free: 360,000 GiB-s a month)',
  },
  runPerMillionRequests: {
    value: 0.4,
    unit: '$/million requests',
    source: 'https://cloud.google.com/run/pricing (free: 2 million a month)',
  },
  runBillingGranularityMs: {
    value: 100,
    unit: 'ms, billable instance time rounded up to',
    source: 'https://cloud.google.com/run/pricing',
  },
  monitoringPerMiB: {
    value: 0.258,
    unit: '$/MiB ingested (150 to 100,000 MiB a month; first 150 MiB free)',
    source: '../shared/reference/cloud-facts-2026.md §5.1; gcp-facts.md §1.6 (VERIFIED there)',
  },
  monitoringBytesPerPoint: {
    value: 8,
    unit: 'bytes billed per INT64/DOUBLE point',
    source: 'cloud-facts-2026.md §5.1 and gcp-facts.md §1.6 (RECALLED there: verify on the pricing page)',
  },
  alertPerConditionMonth: {
    value: 0.1,
    unit: '$/condition/month',
    source: 'cloud-facts-2026.md §5.1 (third-party quote of the pricing page)',
  },
  alertPerMillionSeries: {
    value: 0.35,
    unit: '$/million time series returned, counted on metric clauses',
    source: 'cloud-facts-2026.md §5.1 (third-party quote of the pricing page; cost-control doc)',
  },
  vertexModelMonitoringPerGB: {
    value: 3.5,
    unit: '$/GB of data analyzed',
    source:
      'UNVERIFIED: recalled from https://cloud.google.com/vertex-ai/pricing (Model Monitoring); in neither ../shared/reference file, not found in the searchable copies of the page: verify before quoting',
  },
} satisfies Record<string, Price>;

/** The function size the Terraform deploys by default (terraform/variables.tf function_resources). */
export const FUNCTION_VCPU = 1;
export const FUNCTION_MEMORY_GIB = 1;

/** What the cost rests on, per message kind, from a day run (http transport, in-process Monitoring rules). */
export interface MeasuredKind {
  cpuMsPerMessage: number;
  wallMsPerMessage: number;
  messageBytes: number;
}

/** Metric clauses of the drift alerts and of drift's absence alert, counted in the generated queries. */
export function driftAlertClauses(): {
  conditions: number;
  clauses: number;
  evaluationIntervalSeconds: number;
} {
  const clausesOf = (query: string) => (query.match(/custom_googleapis_com:liftwatch_/g) ?? []).length;
  const drift = Object.entries(queries.alerts).filter(([name]) => name.startsWith('drift_'));
  const absence = queries.absence.drift.query;
  return {
    conditions: drift.length + 1,
    clauses: drift.reduce((total, [, alert]) => total + clausesOf(alert.query), 0) + clausesOf(absence),
    evaluationIntervalSeconds: alerts.timing.monitors.drift.evaluationIntervalSeconds,
  };
}

export interface CostRow {
  item: string;
  raw: string;
  binned: string;
  basis: string;
}

const usd = (value: number) => `$${value < 1 ? value.toFixed(3) : value.toFixed(2)}`;
const count = (value: number) => Math.round(value).toLocaleString('en');

/** The cost table for a day of `raw` windows (every prediction as float32) and of `binned` windows. */
export function dayCost(
  raw: MeasuredKind,
  binned: MeasuredKind,
): { rows: CostRow[]; totals: [number, number] } {
  const p = PRICES;
  const rows: CostRow[] = [];
  const totals: [number, number] = [0, 0];
  const both = (f: (m: MeasuredKind) => number) => [f(raw), f(binned)] as const;
  const add = (item: string, values: readonly [number, number], show: (v: number) => string, basis: string) =>
    rows.push({ item, raw: show(values[0]), binned: show(values[1]), basis });
  const cost = (item: string, values: readonly [number, number], basis: string) => {
    totals[0] += values[0];
    totals[1] += values[1];
    add(item, values, usd, basis);
  };

  add(
    'message data, bytes',
    both((m) => m.messageBytes),
    count,
    'measured (JSON the producer publishes)',
  );
  const billable = both(
    (m) =>
      2 *
      WINDOWS_PER_DAY *
      Math.max(p.pubsubMinimumBytes.value, m.messageBytes + p.pubsubMessageOverheadBytes.value),
  );
  add(
    'Pub/Sub billable GiB/day (publish + push delivery)',
    billable,
    (v) => (v / 2 ** 30).toFixed(2),
    'measured bytes x 240,000 x 2; 1,000 B minimum per request (one message per push)',
  );
  cost(
    'Pub/Sub $/day',
    [(billable[0] / 2 ** 40) * p.pubsubPerTiB.value, (billable[1] / 2 ** 40) * p.pubsubPerTiB.value],
    'price',
  );

  const cpuSeconds = both((m) => (WINDOWS_PER_DAY * m.cpuMsPerMessage) / 1000);
  add(
    'CPU-ms per message',
    both((m) => m.cpuMsPerMessage),
    (v) => v.toFixed(2),
    'measured (bench/day.ts: median over runs)',
  );
  add('CPU-seconds/day', cpuSeconds, count, 'measured x 240,000');
  // Busy instances (the hourly burst keeps them busy): billable time ~ CPU time of a CPU-bound Node process.
  // Isolated pushes: each one's instance time rounded up to 100 ms.
  const isolated = both(
    (m) =>
      (WINDOWS_PER_DAY *
        Math.ceil(m.wallMsPerMessage / p.runBillingGranularityMs.value) *
        p.runBillingGranularityMs.value) /
      1000,
  );
  rows.push({
    item: `Cloud Run billable vCPU-s/day (${FUNCTION_VCPU} vCPU): busy instances .. isolated pushes`,
    raw: `${count(cpuSeconds[0] * FUNCTION_VCPU)} .. ${count(isolated[0] * FUNCTION_VCPU)}`,
    binned: `${count(cpuSeconds[1] * FUNCTION_VCPU)} .. ${count(isolated[1] * FUNCTION_VCPU)}`,
    basis: 'measured CPU-s .. 240,000 x 100 ms rounding',
  });
  rows.push({
    item: `Cloud Run billable GiB-s/day (${FUNCTION_MEMORY_GIB} GiB): busy instances .. isolated pushes`,
    raw: `${count(cpuSeconds[0] * FUNCTION_MEMORY_GIB)} .. ${count(isolated[0] * FUNCTION_MEMORY_GIB)}`,
    binned: `${count(cpuSeconds[1] * FUNCTION_MEMORY_GIB)} .. ${count(isolated[1] * FUNCTION_MEMORY_GIB)}`,
    basis: 'the same instance time x configured memory (terraform/variables.tf function_resources)',
  });
  const runCost = (seconds: number) =>
    seconds * (FUNCTION_VCPU * p.runVcpuSecond.value + FUNCTION_MEMORY_GIB * p.runGibSecond.value);
  const requests = (WINDOWS_PER_DAY / 1e6) * p.runPerMillionRequests.value;
  cost(
    `Cloud Run $/day, busy instances (CPU + ${FUNCTION_MEMORY_GIB} GiB memory + requests)`,
    [runCost(cpuSeconds[0]) + requests, runCost(cpuSeconds[1]) + requests],
    'measured x price',
  );
  add(
    'Cloud Run $/day if every push were billed alone (100 ms each)',
    [runCost(isolated[0]) + requests, runCost(isolated[1]) + requests],
    usd,
    'upper bound, price (not in the total)',
  );

  const pointsPerWindow = metricsToWrite('driftMonitor', true).length;
  const points = WINDOWS_PER_DAY * pointsPerWindow;
  const mib = (points * p.monitoringBytesPerPoint.value) / 2 ** 20;
  add(
    'Cloud Monitoring points/day',
    [points, points],
    count,
    `${pointsPerWindow} points per window (shared/monitoring/metrics.json) x 240,000; binned writes the same metrics`,
  );
  cost(
    'Cloud Monitoring $/day',
    [mib * p.monitoringPerMiB.value, mib * p.monitoringPerMiB.value],
    `${mib.toFixed(1)} MiB/day x price`,
  );

  const alerting = driftAlertClauses();
  const series = alerting.clauses * SEGMENTS * (86_400 / alerting.evaluationIntervalSeconds);
  const alertUsd =
    (series / 1e6) * p.alertPerMillionSeries.value +
    (alerting.conditions * p.alertPerConditionMonth.value) / 30;
  add(
    'alert series returned/day',
    [series, series],
    count,
    `${alerting.clauses} metric clauses (${alerting.conditions} drift conditions incl. absence, terraform/generated/alert-queries.json) x 10,000 series x ${86_400 / alerting.evaluationIntervalSeconds} evaluations`,
  );
  cost('alert evaluation $/day', [alertUsd, alertUsd], 'price');
  const hourlyUsd = alertUsd * (alerting.evaluationIntervalSeconds / 3_600);
  add(
    "alert evaluation $/day if evaluated every 3,600 s (the windows' cadence)",
    [hourlyUsd, hourlyUsd],
    usd,
    'price, an option (not in the total); the per-condition fee is negligible',
  );
  rows.push({
    item: '**liftwatch total $/day**',
    raw: usd(totals[0]),
    binned: usd(totals[1]),
    basis: 'sum of the $ rows above',
  });
  return { rows, totals };
}

/** Vertex AI Model Monitoring for the same predictions: GB analyzed per day at two row sizes. */
export function vertexCost(): CostRow[] {
  const perGB = PRICES.vertexModelMonitoringPerGB.value;
  return [
    { bytes: 4, what: 'the score alone, a floor' },
    { bytes: 84, what: '20 features + score, 4 B each' },
  ].map(({ bytes, what }) => {
    const gb = (PREDICTIONS_PER_DAY * bytes) / 1e9;
    return {
      item: `Vertex AI Model Monitoring, every prediction, ${bytes} B each (${what})`,
      raw: `${gb.toFixed(0)} GB/day: ${usd(gb * perGB)}/day`,
      binned: '',
      basis: 'price (UNVERIFIED $3.50/GB) x assumed bytes; its sampling rate scales it linearly',
    };
  });
}

export function printDayCost(raw: MeasuredKind, binned: MeasuredKind, binnedLabel: string): void {
  const { rows } = dayCost(raw, binned);
  printTable(
    `Cost of a day: ${PREDICTIONS_PER_DAY.toExponential(0)} predictions, ${SEGMENTS.toLocaleString('en')} segments, hourly windows (${WINDOWS_PER_DAY.toLocaleString('en')} messages); raw = every prediction as predictionsF32 (${AVERAGE_WINDOW_PREDICTIONS.toLocaleString('en')} per window), ${binnedLabel}`,
    ['', 'raw', 'binned', 'basis'],
    [...rows, ...vertexCost()].map((row) => [row.item, row.raw, row.binned, row.basis]),
  );
  console.log('\nPrices:');
  for (const [name, price] of Object.entries(PRICES)) {
    console.log(`- ${name}: ${price.value} ${price.unit}. Source: ${price.source}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ?? 'build/bench/day.json';
  const { measured } = JSON.parse(readFileSync(file, 'utf8')) as { measured: Record<string, MeasuredKind> };
  printDayCost(
    measured['drift-4167']!,
    measured['drift-binned']!,
    'binned = the drift-binned kind as measured',
  );
}
