/**
 * Replays a scenario through the real path: the @google-cloud/pubsub client publishes each message to the
 * emulator (ordering key model/version/segment, as producers do), push subscriptions deliver it to the
 * Functions Framework processes, and the functions write to the local MetricService. A message counts as done
 * when its function logged how it ended (points_written, points_rejected, or a refusal); the next message of
 * the same series is published only then, so each series is written in order whatever the subscription's
 * ordering, while up to `maxInFlight` series proceed at once.
 */
import type { LogFields } from '../../shared/log.js';
import { FUNCTION_TOPICS, type FunctionName, type LocalStack } from '../stack.js';
import { FUNCTION_OF_KIND, type Scenario, type ScenarioEvent } from './generate.js';
import type { TimeMap } from './timeMapping.js';

export interface ReplayProgress {
  published: number;
  done: number;
  total: number;
  /** Simulated time of the oldest message not yet done. */
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
}

export interface ReplayOptions {
  maxInFlight?: number;
  /** How long one message may take from publication to its final log line. */
  messageTimeoutMs?: number;
  onProgress?: (progress: ReplayProgress) => void;
}

/** Final log lines per message ID, read incrementally from every function's output. */
class LogWatcher {
  private readonly offsets = new Map<FunctionName, number>();
  private readonly waiting = new Map<string, (line: LogFields) => void>();
  private readonly early = new Map<string, LogFields>();
  readonly campaignLift: LogFields[] = [];
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
    if (line.acknowledged === false) this.retried++;
    const final =
      line.event === 'points_written' ||
      line.event === 'points_rejected' ||
      line.event === 'baseline_registered' ||
      line.event === 'baseline_stale' ||
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
  { maxInFlight = 8, messageTimeoutMs = 60_000, onProgress }: ReplayOptions = {},
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
    await dispatch(scenario.events, maxInFlight, onProgress, (event) =>
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
  };
}

/**
 * Runs `handle` for every event, in simulated-time order within each series (kind, market), at most
 * `maxInFlight` at once; a series runs ahead of the oldest unfinished message by at most a simulated day.
 */
async function dispatch(
  events: readonly ScenarioEvent[],
  maxInFlight: number,
  onProgress: ((progress: ReplayProgress) => void) | undefined,
  handle: (event: ScenarioEvent) => Promise<unknown>,
): Promise<void> {
  const pending = [...events];
  const busy = new Set<string>();
  const running = new Set<ScenarioEvent>();
  let done = 0;
  let published = 0;
  const seriesOf = (event: ScenarioEvent) => `${event.kind}/${event.market}`;
  const oldest = () =>
    Math.min(
      ...[...running].map((event) => event.simTimeMs),
      pending[0]?.simTimeMs ?? Number.POSITIVE_INFINITY,
    );
  const report = () =>
    onProgress?.({
      published,
      done,
      total: events.length,
      simTimeMs: oldest() === Infinity ? (events.at(-1)?.simTimeMs ?? 0) : oldest(),
    });

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const next = () => {
      if (failed) return;
      if (pending.length === 0 && running.size === 0) {
        resolve();
        return;
      }
      const horizon = oldest() + 24 * 3_600_000;
      for (let i = 0; i < pending.length && running.size < maxInFlight; i++) {
        const event = pending[i]!;
        if (event.simTimeMs > horizon) break;
        if (busy.has(seriesOf(event))) continue;
        pending.splice(i--, 1);
        busy.add(seriesOf(event));
        running.add(event);
        published++;
        handle(event).then(
          () => {
            busy.delete(seriesOf(event));
            running.delete(event);
            done++;
            report();
            next();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    next();
  });
}
