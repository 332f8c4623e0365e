/**
 * Small-message throughput through the Functions Framework HTTP path, loopback only: Pub/Sub push bodies
 * (a 200-prediction batch, ~4 KB) POSTed with a fixed number in flight to a Functions Framework process serving
 * driftMonitor with a registered baseline, against a no-op cloudEvent function served the same way (the floor:
 * HTTP, body parsing, the push-to-CloudEvent conversion). driftMonitor runs from the unbundled build and from the
 * bundle the deployment loads, each with an in-process Cloud Monitoring that accepts every write (the function's
 * own cost) and writing over gRPC to the local MetricService (the whole path). Bounded: a fixed count per
 * scenario, one scenario at a time. Needs npm run build.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startFunctionsFramework } from '../local/functionsFramework.js';
import { startLocalMetricService } from '../local/metricService.js';
import { printTable } from './support.js';

interface Scenario {
  label: string;
  target: string;
  source: string;
  /** The entry point driftServer.mjs serves driftMonitor from. */
  entry?: string;
  monitoring: 'none' | 'in-process' | 'local MetricService';
}

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const UNBUNDLED = fileURLToPath(new URL('../build/functions/index.js', import.meta.url));
const BUNDLED = fileURLToPath(new URL('../build/bundle/functions.js', import.meta.url));

const SCENARIOS: Scenario[] = [
  {
    label: 'no-op cloudEvent function (floor)',
    target: 'noop',
    source: fixture('noop.mjs'),
    monitoring: 'none',
  },
  ...[
    { build: 'unbundled', entry: UNBUNDLED },
    { build: 'bundled', entry: BUNDLED },
  ].flatMap(({ build, entry }) =>
    (['in-process', 'local MetricService'] as const).map((monitoring) => ({
      label: `driftMonitor ${build}, ${monitoring === 'in-process' ? 'in-process Monitoring' : 'local MetricService (gRPC)'}`,
      target: 'driftMonitor',
      source: fixture('driftServer.mjs'),
      entry,
      monitoring,
    })),
  ),
];

/** A push body of a 200-prediction batch on its own series (so every write is accepted). */
function pushBody(scenario: number, index: number, windowEnd: string): string {
  let state = index + 1;
  const predictions = Array.from({ length: 200 }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.round((0.02 + 0.1 * (state / 2147483648)) * 1e6) / 1e6;
  });
  const data = JSON.stringify({
    schemaVersion: 1,
    model: 'bench',
    modelVersion: `s${scenario}`,
    segment: { market: `m${index % 1000}`, cohort: `c${Math.floor(index / 1000)}` },
    windowEnd,
    predictions,
  });
  const publishTime = new Date().toISOString();
  return JSON.stringify({
    subscription: 'projects/bench/subscriptions/predictions-push',
    message: {
      data: Buffer.from(data).toString('base64'),
      attributes: {},
      messageId: `${scenario}-${index}`,
      message_id: `${scenario}-${index}`,
      publishTime,
      publish_time: publishTime,
    },
  });
}

function post(agent: http.Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/projects/bench/topics/predictions',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Sends every body with `concurrency` requests in flight; returns the wall time and each request's latency. */
async function drive(port: number, bodies: string[], concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const sent = performance.now();
        const status = await post(agent, port, body);
        latencies.push(performance.now() - sent);
        if (status < 200 || status >= 300) failures++;
      }
    }),
  );
  const wallMs = performance.now() - start;
  agent.destroy();
  if (failures > 0) throw new Error(`${failures} of ${bodies.length} pushes were not acknowledged`);
  return { wallMs, latencies: latencies.sort((a, b) => a - b) };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export async function benchThroughput(messages = 3_000, concurrency = 16, warmup = 300): Promise<void> {
  const monitoring = await startLocalMetricService();
  const windowEnd = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  const rows: (string | number)[][] = [];
  let floorRate = 0;
  try {
    for (const [index, scenario] of SCENARIOS.entries()) {
      const env: Record<string, string> = { GOOGLE_CLOUD_PROJECT: 'bench', NODE_ENV: 'production' };
      if (scenario.entry) env.LIFTWATCH_BENCH_ENTRY = scenario.entry;
      if (scenario.monitoring === 'local MetricService')
        env.LIFTWATCH_MONITORING_ENDPOINT = monitoring.endpoint;
      const running = await startFunctionsFramework({
        target: scenario.target,
        source: scenario.source,
        env,
      });
      try {
        const bodies = Array.from({ length: warmup + messages }, (_, i) => pushBody(index, i, windowEnd));
        await drive(running.port, bodies.slice(0, warmup), concurrency);
        const { wallMs, latencies } = await drive(running.port, bodies.slice(warmup), concurrency);
        const rate = messages / (wallMs / 1000);
        if (index === 0) floorRate = rate;
        rows.push([
          scenario.label,
          messages,
          rate,
          quantile(latencies, 0.5),
          quantile(latencies, 0.99),
          `${(rate / floorRate).toFixed(2)}x`,
        ]);
      } finally {
        await running.stop();
      }
    }
    const written = monitoring.points().length;
    const expected =
      (warmup + messages) *
      10 *
      SCENARIOS.filter((scenario) => scenario.monitoring === 'local MetricService').length;
    if (written !== expected) {
      throw new Error(`the local MetricService holds ${written} points, expected ${expected}`);
    }
  } finally {
    await monitoring.close();
  }
  printTable(
    `Throughput: small push messages (200 predictions) through the Functions Framework HTTP path, ${concurrency} in flight, loopback (after ${warmup} warm-up messages)`,
    ['function', 'messages', 'messages/s', 'p50 ms', 'p99 ms', 'vs no-op'],
    rows,
  );
}
