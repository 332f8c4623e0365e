/**
 * One kind's share of a simulated day, in this process: hourly windows for `segments` segments, hour by hour,
 * one message in flight. Transport `http` (the default): each window is a Pub/Sub push body POSTed over loopback
 * to the Functions Framework's own HTTP server for the function (getTestServer from its testing module: express,
 * body parsing, the push-to-CloudEvent conversion, then the registered handler); the in-process client's cost is
 * counted too. Transport `handler`: the CloudEvent is handed to the registered function (getFunction). Points go
 * to the local MetricService's write rules in process (every point checked as Cloud Monitoring would at the
 * simulated time: 25 h / 5 min window, order per series, labels, duplicates), or to a client that accepts every
 * write; baselines are held in memory. The clock is simulated (the runtime's and the MetricService's now): hour h
 * is handled one minute after its window closes, so every window is writable. CPU (process.cpuUsage, user +
 * system) and wall time cover only the deliveries, not building the messages nor counting the points; after each
 * hour the points are counted and dropped, as a function instance holds none.
 *
 * Run directly, it is the child process bench/day.ts starts for every run (so its peak RSS is one instance's):
 *   node --import tsx bench/dayRun.ts KIND [REPETITIONS [http|handler [rules|accept-all]]]
 * prints one JSON DayRun line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction, getTestServer } from '@google-cloud/functions-framework/testing';
import '../functions/index.js';
import { InProcessMetricService } from '../local/metricService/inProcess.js';
import { MemoryBaselines } from '../local/scenario/inProcess.js';
import type { MessagePublishedData } from '../shared/delivery.js';
import { setLogSink } from '../shared/log.js';
import type { TimeSeriesClient } from '../shared/monitoring/writer.js';
import { DEFAULT_MINIMUMS, type Runtime, setRuntime } from '../shared/runtime.js';
import type { StoredBaseline } from '../shared/store/baselineStore.js';
import type { StoredFeatureBaseline } from '../shared/store/featureBaselineStore.js';
import { DAY_KINDS, type DayKind } from './dayKinds.js';

/** The simulated day: windows end on the hour, 01:00 to 24:00. */
export const DAY_START_MS = Date.parse('2026-11-30T00:00:00Z');
export const HOURS = 24;
const HOUR_MS = 3_600_000;
/** A producer publishes a window this long after it closes. */
const PUBLISH_DELAY_MS = 60_000;

const MODEL = 'day';

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;

export interface DayRepetition {
  messages: number;
  wallMs: number;
  cpuMs: number;
  points: number;
}

export interface DayRun {
  kind: string;
  transport: Transport;
  monitoring: MonitoringMode;
  segments: number;
  hours: number;
  /** The measured repetitions (after an untimed warm-up hour). */
  repetitions: DayRepetition[];
  /** Bytes of one message's data (the JSON a producer publishes), averaged. */
  messageBytes: number;
  /** Bytes of one push request body (the message data in base64 inside Pub/Sub's envelope), averaged; 0 without HTTP. */
  pushBytes: number;
  /** Peak RSS of the process (process.resourceUsage().maxRSS) after every repetition, MiB. */
  peakRssMiB: number;
  /** Peak RSS once the modules are loaded and the first baseline is registered, before any window, MiB. */
  registeredRssMiB: number;
}

let sequence = 0;

function pubsubEvent(data: Buffer, publishTime: Date): CloudEvent<MessagePublishedData> {
  const messageId = String(++sequence);
  const time = publishTime.toISOString();
  return {
    id: messageId,
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: '//pubsub.googleapis.com/projects/day/topics/day',
    time,
    data: { message: { data: data.toString('base64'), messageId, publishTime: time } },
  };
}

/** How a message reaches the handler: a Pub/Sub push POSTed to the Functions Framework's HTTP server, or the CloudEvent handed to the registered function. */
export type Transport = 'http' | 'handler';
/** Where points go: the local MetricService's write rules in process, or a client that accepts every write (the function's own cost). */
export type MonitoringMode = 'rules' | 'accept-all';

export interface DayOptions {
  segments?: number;
  hours?: number;
  modelVersion?: string;
  transport?: Transport;
  monitoring?: MonitoringMode;
}

/**
 * Runs `hours` hours of `segments` segments of `kind` on a fresh runtime; throws unless every message was
 * written in full (one points_written line each, nothing refused, rejected or superseded, and with the rules
 * the MetricService holds exactly the points the logs count).
 */
export async function runDayOnce(
  kind: DayKind,
  {
    segments = kind.segments,
    hours = HOURS,
    modelVersion = 'v1',
    transport = 'http',
    monitoring = 'rules',
  }: DayOptions = {},
): Promise<DayRepetition & { messageBytes: number; pushBytes: number; registeredRssMiB: number }> {
  let clockMs = DAY_START_MS;
  const rules = monitoring === 'rules' ? new InProcessMetricService({ now: () => clockMs }) : undefined;
  const acceptAll: TimeSeriesClient = { createTimeSeries: async () => [{}] };
  const runtime: Runtime = {
    projectId: 'day',
    monitoring: rules ?? acceptAll,
    baselines: new MemoryBaselines<StoredBaseline>(),
    featureBaselines: new MemoryBaselines<StoredFeatureBaseline>(),
    ...DEFAULT_MINIMUMS,
    now: () => new Date(clockMs),
  };
  const lines: string[] = [];
  const restoreRuntime = setRuntime(runtime);
  const restoreSink = setLogSink((line) => lines.push(line));
  const server = transport === 'http' ? await pushServer(kind.function) : undefined;
  const handle = getFunction(kind.function) as Handler;
  let wallMs = 0;
  let cpuMs = 0;
  let points = 0;
  let messageBytes = 0;
  let pushBytes = 0;
  let registeredRssMiB = 0;
  try {
    const baseline = Buffer.from(JSON.stringify(kind.baseline(MODEL, modelVersion)));
    await (getFunction(kind.register) as Handler)(pubsubEvent(baseline, new Date(clockMs)));
    const registered = lines.splice(0).map((line) => JSON.parse(line) as Record<string, unknown>);
    if (!registered.some((line) => String(line.event).endsWith('registered'))) {
      throw new Error(`${kind.name}: the baseline was not registered: ${JSON.stringify(registered)}`);
    }
    registeredRssMiB = process.resourceUsage().maxRSS / 1024;
    for (let hour = 0; hour < hours; hour++) {
      const windowEnd = new Date(DAY_START_MS + (hour + 1) * HOUR_MS);
      clockMs = windowEnd.getTime() + PUBLISH_DELAY_MS;
      const events = Array.from({ length: segments }, (_, segment) => {
        const data = Buffer.from(JSON.stringify(kind.window(MODEL, modelVersion, segment, hour, windowEnd)));
        messageBytes += data.length;
        return pubsubEvent(data, new Date(clockMs));
      });
      const bodies = server ? events.map(pushBody) : [];
      for (const body of bodies) pushBytes += body.length;
      const cpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      if (server) for (const body of bodies) await server.post(body);
      else for (const event of events) await handle(event);
      wallMs += performance.now() - wallBefore;
      const cpu = process.cpuUsage(cpuBefore);
      cpuMs += (cpu.user + cpu.system) / 1000;
      points += checkHour(kind, hour, segments, lines.splice(0), rules);
      rules?.reset();
    }
  } finally {
    await server?.close();
    setLogSink(restoreSink);
    restoreRuntime();
  }
  const messages = segments * hours;
  return {
    messages,
    wallMs,
    cpuMs,
    points,
    messageBytes: messageBytes / messages,
    pushBytes: pushBytes / messages,
    registeredRssMiB,
  };
}

/** The push request body Pub/Sub sends for the event's message (what the Functions Framework converts back). */
function pushBody(event: CloudEvent<MessagePublishedData>): Buffer {
  const message = event.data!.message!;
  return Buffer.from(
    JSON.stringify({
      subscription: 'projects/day/subscriptions/day-push',
      message: {
        ...message,
        message_id: message.messageId,
        publish_time: message.publishTime,
        attributes: {},
      },
    }),
  );
}

/** The Functions Framework's own HTTP server for `target` (getTestServer), on a loopback port, one request in flight. */
async function pushServer(target: string) {
  const server = getTestServer(target);
  // Building the next hour's messages may take longer than Node's 5 s keep-alive timeout on a loaded machine:
  // the client would then reuse a socket the server has just closed (ECONNRESET).
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/projects/day/topics/day',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            response.statusCode === 204 || response.statusCode === 200
              ? resolve()
              : reject(new Error(`push answered ${response.statusCode}`)),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const close = async () => {
    agent.destroy();
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { post, close };
}

/** The points of one hour: every message wrote all its points, and the store holds exactly those. */
function checkHour(
  kind: DayKind,
  hour: number,
  segments: number,
  lines: string[],
  rules: InProcessMetricService | undefined,
): number {
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const problems = parsed.filter(
    (line) =>
      line.severity === 'ERROR' ||
      (line.event === 'points_written' && (line.superseded !== 0 || line.rejected !== 0)),
  );
  const written = parsed.filter((line) => line.event === 'points_written');
  if (problems.length > 0 || written.length !== segments) {
    throw new Error(
      `${kind.name} hour ${hour}: ${written.length} of ${segments} messages written in full; ${JSON.stringify(problems.slice(0, 3))}`,
    );
  }
  const logged = written.reduce((total, line) => total + Number(line.written), 0);
  if (rules) {
    const stored = rules.allPoints().length;
    if (stored !== logged)
      throw new Error(`${kind.name} hour ${hour}: ${stored} points stored, ${logged} logged`);
  }
  return logged;
}

/**
 * A warm-up of one untimed hour, then `repetitions` measured days of the kind, each on a fresh runtime. bench/day.ts
 * runs one repetition per process, so the peak RSS is that of one instance handling the kind's share of a day.
 */
export async function runDay(
  kind: DayKind,
  repetitions: number,
  { transport = 'http', monitoring = 'rules' }: Pick<DayOptions, 'transport' | 'monitoring'> = {},
): Promise<DayRun> {
  const warmUp = await runDayOnce(kind, { hours: 1, modelVersion: 'warm-up', transport, monitoring });
  const runs: DayRepetition[] = [];
  let messageBytes = 0;
  let pushBytes = 0;
  for (let r = 0; r < repetitions; r++) {
    const run = await runDayOnce(kind, { modelVersion: `v${r + 1}`, transport, monitoring });
    const { messages, wallMs, cpuMs, points } = run;
    runs.push({ messages, wallMs, cpuMs, points });
    messageBytes = run.messageBytes;
    pushBytes = run.pushBytes;
  }
  return {
    kind: kind.name,
    transport,
    monitoring,
    segments: kind.segments,
    hours: HOURS,
    repetitions: runs,
    messageBytes,
    pushBytes,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    registeredRssMiB: warmUp.registeredRssMiB,
  };
}

export function dayKind(name: string): DayKind {
  const kind = DAY_KINDS.find((candidate) => candidate.name === name);
  if (!kind) throw new Error(`no day kind ${name}; kinds: ${DAY_KINDS.map((k) => k.name).join(', ')}`);
  return kind;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [name = '', repetitions = '3', transport = 'http', monitoring = 'rules'] = process.argv.slice(2);
  const run = await runDay(dayKind(name), Number(repetitions), {
    transport: transport as Transport,
    monitoring: monitoring as MonitoringMode,
  });
  process.stdout.write(`${JSON.stringify(run)}\n`);
}
