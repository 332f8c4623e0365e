/**
 * Replays a scenario through the real path: the @google-cloud/pubsub client publishes the prediction and feature
 * baselines, then each windowed message, to the
 * emulator (ordering key model/version/segment, as producers do), push subscriptions deliver it to the
 * Functions Framework processes, and the functions write to the local MetricService. A message counts as done
 * when its function logged how it ended (points_written, points_rejected, or a refusal).
 *
 * Messages go out in order of publication time (window end plus the monitor's publish delay): all those of one
 * publication time at once (at most `maxInFlight`), the next publication time only when they are done, so a
 * daily batch published 3 h late follows the hourly windows of those 3 h and each series is written in order.
 * Before each publication time the local MetricService's clock is set to it (mapped to real time): the write
 * time it records, from which the point is readable, is the publication time.
 */
import type { LogFields } from '../../shared/log.js';
import { FUNCTION_TOPICS, type FunctionName, type LocalStack } from '../stack.js';
import { FUNCTION_OF_KIND, type Scenario, type ScenarioEvent } from './generate.js';
import type { TimeMap } from './timeMapping.js';

export interface ReplayProgress {
  published: number;
  done: number;
  total: number;
  /** Simulated publication time being replayed. */
  simTimeMs: number;
}

export interface ReplayResult {
  /** Messages per outcome: written, rejected, refused (acknowledged with a reason), and redeliveries seen. */
  counts: {
    messages: number;
    written: number;
    pointsWritten: number;
    rejected: number;
    refused: number;
    retried: number;
  };
  /** Refusal and rejection log lines (empty in a healthy run). */
  problems: LogFields[];
  /** liftMonitor's campaign_lift lines, with the per-campaign detail. */
  campaignLift: LogFields[];
  /** featureMonitor's feature_drift lines: each window's features, ranked as on-call reads them. */
  featureDrift: LogFields[];
}

export interface ReplayOptions {
  maxInFlight?: number;
  /** How long one message may take from publication to its final log line. */
  messageTimeoutMs?: number;
  onProgress?: (progress: ReplayProgress) => void;
  /** Sets the local MetricService's clock (real ms); called with each publication time before publishing. */
  setClock?: (realMs: number) => void;
}

/** Final log lines per message ID, read incrementally from every function's output. */
class LogWatcher {
  private readonly offsets = new Map<FunctionName, number>();
  private readonly waiting = new Map<string, (line: LogFields) => void>();
  private readonly early = new Map<string, LogFields>();
  readonly campaignLift: LogFields[] = [];
  readonly featureDrift: LogFields[] = [];
  readonly problems: LogFields[] = [];
  retried = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stack: LocalStack) {}

  start(): void {
    this.timer = setInterval(() => this.poll(), 20);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Resolves with the message's final log line. */
  final(messageId: string): Promise<LogFields> {
    const seen = this.early.get(messageId);
    if (seen) {
      this.early.delete(messageId);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiting.set(messageId, resolve));
  }

  forget(messageId: string): void {
    this.waiting.delete(messageId);
  }

  poll(): void {
    for (const [name, running] of Object.entries(this.stack.functions) as [
      FunctionName,
      { logs(): string[] },
    ][]) {
      const lines = running.logs();
      let offset = this.offsets.get(name) ?? 0;
      if (offset > lines.length) offset = 0; // the buffer dropped old lines
      for (const text of lines.slice(offset)) this.read(text);
      this.offsets.set(name, lines.length);
    }
  }

  private read(text: string): void {
    if (!text.startsWith('{')) return;
    let line: LogFields;
    try {
      line = JSON.parse(text) as LogFields;
    } catch {
      return;
    }
    if (line.event === 'campaign_lift') this.campaignLift.push(line);
    if (line.event === 'feature_drift') this.featureDrift.push(line);
    if (line.acknowledged === false) this.retried++;
    const final =
      line.event === 'points_written' ||
      line.event === 'points_rejected' ||
      line.event === 'baseline_registered' ||
      line.event === 'baseline_stale' ||
      line.event === 'feature_baseline_registered' ||
      line.event === 'feature_baseline_stale' ||
      line.acknowledged === true;
    if (!final || typeof line.messageId !== 'string') return;
    if (line.event === 'points_rejected' || line.acknowledged === true) this.problems.push(line);
    const resolve = this.waiting.get(line.messageId);
    if (resolve) {
      this.waiting.delete(line.messageId);
      resolve(line);
    } else {
      this.early.set(line.messageId, line);
    }
  }
}

const orderingKey = (scenario: Scenario, market: string) =>
  `${scenario.config.model}/${scenario.config.modelVersion}/market=${market}`;

export async function replayScenario(
  stack: LocalStack,
  scenario: Scenario,
  timeMap: TimeMap,
  { maxInFlight = 8, messageTimeoutMs = 60_000, onProgress, setClock }: ReplayOptions = {},
): Promise<ReplayResult> {
  const watcher = new LogWatcher(stack);
  watcher.start();
  const counts = { messages: 0, written: 0, pointsWritten: 0, rejected: 0, refused: 0, retried: 0 };
  const send = async (topic: string, message: unknown, key?: string) => {
    const messageId = await stack.publish(topic, message, key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        watcher.forget(messageId);
        reject(new Error(`message ${messageId} on ${topic} was not processed within ${messageTimeoutMs} ms`));
      }, messageTimeoutMs);
    });
    try {
      const line = await Promise.race([watcher.final(messageId), timeout]);
      counts.messages++;
      if (line.event === 'points_written') {
        counts.written++;
        counts.pointsWritten += Number(line.written ?? 0);
      } else if (line.event === 'points_rejected') counts.rejected++;
      else if (line.acknowledged === true) counts.refused++;
      return line;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await send(FUNCTION_TOPICS.registerBaseline, scenario.baseline);
    await send(FUNCTION_TOPICS.registerFeatureBaseline, scenario.featureBaseline);
    await dispatch(
      scenario.events,
      maxInFlight,
      onProgress,
      (publishSimMs) => setClock?.(timeMap.toReal(publishSimMs)),
      (event) =>
        send(
          FUNCTION_TOPICS[FUNCTION_OF_KIND[event.kind]],
          event.message(new Date(timeMap.toReal(event.simTimeMs))),
          orderingKey(scenario, event.market),
        ),
    );
  } finally {
    watcher.poll();
    watcher.stop();
  }
  return {
    counts: { ...counts, retried: watcher.retried },
    problems: watcher.problems,
    campaignLift: watcher.campaignLift,
    featureDrift: watcher.featureDrift,
  };
}

/**
 * Runs `handle` for every event in order of publication time: the events of one publication time at most
 * `maxInFlight` at once, after `beforePublishing(publishSimMs)`; the next publication time once they are done.
 */
async function dispatch(
  events: readonly ScenarioEvent[],
  maxInFlight: number,
  onProgress: ((progress: ReplayProgress) => void) | undefined,
  beforePublishing: (publishSimMs: number) => void,
  handle: (event: ScenarioEvent) => Promise<unknown>,
): Promise<void> {
  let published = 0;
  let done = 0;
  const pending = [...events].sort((a, b) => a.publishSimMs - b.publishSimMs);
  while (pending.length > 0) {
    const publishSimMs = pending[0]!.publishSimMs;
    const count = pending.findIndex((event) => event.publishSimMs !== publishSimMs);
    const batch = pending.splice(0, count === -1 ? pending.length : count);
    beforePublishing(publishSimMs);
    const next = async (): Promise<void> => {
      const event = batch.shift();
      if (!event) return;
      published++;
      await handle(event);
      done++;
      onProgress?.({ published, done, total: events.length, simTimeMs: publishSimMs });
      await next();
    };
    await Promise.all(Array.from({ length: Math.min(maxInFlight, batch.length) }, next));
  }
}
