/**
 * The whole of liftwatch on one machine: the Pub/Sub and Firestore emulators, a local Cloud Monitoring
 * (MetricService with the catalog's descriptors), one Functions Framework process per function serving the
 * built code, and a push subscription from each function's topic to it. Used by the end-to-end tests and by
 * `npm start`. Everything it starts is stopped by stop(), also when starting fails half way.
 *
 * For fault tests it can also run several instances of a function (each behind its own push subscription on
 * the function's topic, so every message reaches every instance, as concurrent duplicate deliveries do) and
 * route the functions' Firestore traffic through a fault proxy that can cut it (local/faultProxy.ts).
 */
import type { MetricServiceClient } from '@google-cloud/monitoring';
import type { PubSub } from '@google-cloud/pubsub';
import { createMetricDescriptors } from '../alerting/descriptors.js';
import { monitoringClient } from '../shared/runtime.js';
import { startFirestoreEmulator, startPubSubEmulator } from './emulators.js';
import { type FaultProxy, startFaultProxy } from './faultProxy.js';
import { jsonLogs, type RunningFunction, startFunctionsFramework } from './functionsFramework.js';
import { type LocalMetricService, startLocalMetricService } from './metricService.js';
import { createPushSubscription, ensureTopic, pubsubClient } from './pubsubSetup.js';

/** Each function and the topic that triggers it, as Terraform wires them. */
export const FUNCTION_TOPICS = {
  registerBaseline: 'baselines',
  driftMonitor: 'predictions',
  calibrationMonitor: 'outcomes',
  liftMonitor: 'campaign-results',
  upliftMonitor: 'uplift-outcomes',
  registerFeatureBaseline: 'feature-baselines',
  featureMonitor: 'features',
} as const;
export type FunctionName = keyof typeof FUNCTION_TOPICS;

export interface LocalStackOptions {
  projectId: string;
  /** The functions to serve (all by default). */
  functions?: FunctionName[];
  /** Built entry module; by default the bundle the deployment loads (package.json main). */
  source?: string;
  /** Extra environment for the function processes (minimum sample sizes, cache lifetimes). */
  env?: Record<string, string>;
  /** Options of the local MetricService (its clock, for a simulated scenario). */
  monitoring?: Parameters<typeof startLocalMetricService>[0];
  /**
   * Instances per function (default 1). Each extra instance is another Functions Framework process with its
   * own push subscription (`<topic>-push-2`, ...) on the function's topic: every message reaches every instance.
   */
  instances?: Partial<Record<FunctionName, number>>;
  /** Route the functions' Firestore traffic through a fault proxy (LocalStack.firestoreProxy). */
  firestoreFaultProxy?: boolean;
}

export interface LocalStack {
  projectId: string;
  pubsub: PubSub;
  monitoring: LocalMetricService;
  monitoringClient: MetricServiceClient;
  functions: Partial<Record<FunctionName, RunningFunction>>;
  /** Every instance of each function, the one in `functions` first. */
  instances: Partial<Record<FunctionName, RunningFunction[]>>;
  /** The proxy between the functions and the Firestore emulator, when `firestoreFaultProxy` was set. */
  firestoreProxy: FaultProxy | undefined;
  endpoints: { pubsub: string; firestore: string; monitoring: string };
  /** Publishes JSON (or raw text) to a topic; returns the message ID. */
  publish(topic: string, message: unknown, orderingKey?: string): Promise<string>;
  /** The structured log lines a function printed so far that match `predicate`. */
  logs(name: FunctionName, predicate?: (line: Record<string, unknown>) => boolean): Record<string, unknown>[];
  /** Like logs(), over every instance of the function. */
  logsOfAllInstances(
    name: FunctionName,
    predicate?: (line: Record<string, unknown>) => boolean,
  ): Record<string, unknown>[];
  /** Polls `probe` until it returns a value; the error names what was awaited and shows the functions' last logs. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { projectId } = options;
  const names = options.functions ?? (Object.keys(FUNCTION_TOPICS) as FunctionName[]);
  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const [pubsubEmulator, firestoreEmulator, monitoring] = await Promise.all([
      startPubSubEmulator({ projectId }),
      startFirestoreEmulator({ projectId }),
      startLocalMetricService({ requireDescriptors: true, ...options.monitoring }),
    ]);
    stoppers.push(
      () => pubsubEmulator.stop(),
      () => firestoreEmulator.stop(),
      () => monitoring.close(),
    );
    let firestoreProxy: FaultProxy | undefined;
    if (options.firestoreFaultProxy) {
      const proxy = await startFaultProxy({ upstream: firestoreEmulator.endpoint });
      stoppers.push(() => proxy.close());
      firestoreProxy = proxy;
    }
    const client = monitoringClient(projectId, monitoring.endpoint);
    stoppers.push(() => client.close());
    await createMetricDescriptors(client as never, projectId);

    const env = {
      GOOGLE_CLOUD_PROJECT: projectId,
      FIRESTORE_EMULATOR_HOST: firestoreProxy?.endpoint ?? firestoreEmulator.endpoint,
      LIFTWATCH_MONITORING_ENDPOINT: monitoring.endpoint,
      NODE_ENV: 'production',
      ...options.env,
    };
    const functions: Partial<Record<FunctionName, RunningFunction>> = {};
    const instances: Partial<Record<FunctionName, RunningFunction[]>> = {};
    await Promise.all(
      names.flatMap((name) =>
        Array.from({ length: Math.max(1, options.instances?.[name] ?? 1) }, async (_, index) => {
          const running = await startFunctionsFramework({
            target: name,
            source: options.source ?? 'build/bundle/functions.js',
            env,
          });
          stoppers.push(() => running.stop());
          instances[name] ??= [];
          instances[name][index] = running;
          if (index === 0) functions[name] = running;
        }),
      ),
    );

    const pubsub = pubsubClient(pubsubEmulator.endpoint, projectId);
    stoppers.push(() => pubsub.close());
    for (const name of names) {
      const topic = FUNCTION_TOPICS[name];
      await ensureTopic(pubsub, topic);
      for (const [index, instance] of (instances[name] ?? []).entries()) {
        await createPushSubscription(pubsub, {
          topic,
          name: index === 0 ? `${topic}-push` : `${topic}-push-${index + 1}`,
          pushEndpoint: `http://127.0.0.1:${instance.port}`,
          ackDeadlineSeconds: 60,
          retryPolicy: { minimumBackoffSeconds: 1, maximumBackoffSeconds: 5 },
        });
      }
    }

    const logs = (name: FunctionName, predicate: (line: Record<string, unknown>) => boolean = () => true) =>
      jsonLogs(functions[name]?.logs() ?? []).filter(predicate);
    return {
      projectId,
      pubsub,
      monitoring,
      monitoringClient: client,
      functions,
      instances,
      firestoreProxy,
      endpoints: {
        pubsub: pubsubEmulator.endpoint,
        firestore: firestoreEmulator.endpoint,
        monitoring: monitoring.endpoint,
      },
      publish: (topic, message, orderingKey) =>
        pubsub.topic(topic).publishMessage({
          data: Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)),
          ...(orderingKey ? { orderingKey } : {}),
        }),
      logs,
      logsOfAllInstances: (name, predicate = () => true) =>
        (instances[name] ?? []).flatMap((instance) => jsonLogs(instance.logs()).filter(predicate)),
      async waitFor(what, probe, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const result = probe();
          if (result !== undefined) return result;
          if (Date.now() > deadline) {
            const recent = Object.entries(functions).map(
              ([name, fn]) => `--- ${name}\n${fn.logs().slice(-10).join('\n')}`,
            );
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${recent.join('\n')}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
