/**
 * A gRPC MetricService that sits between the function processes and the local MetricService: it forwards
 * every call unchanged, records each CreateTimeSeries (which series it carried, what the MetricService
 * answered), and can fail some series of a request transiently while the others are written, as the real API
 * does (`13 INTERNAL: One or more TimeSeries could not be written: An internal error occurred.: timeSeries[0]`,
 * googleapis/nodejs-monitoring#191). The local MetricService itself can only fail a request as a whole.
 */
import {
  Client,
  credentials,
  type MethodDefinition,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceError,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { metricServiceDefinition } from '../../../local/metricService/proto.js';
import { formatIndexList, PARTIAL_FAILURE_PREFIX } from '../../../local/metricService.js';

interface WireSeries {
  metric?: { type?: string; labels?: Record<string, string> };
  points?: { interval?: { endTime?: { seconds?: string | number } } }[];
}

type CreateRequest = { name: string; timeSeries?: WireSeries[] };

export interface SeriesFault {
  /** Requests to apply it to (the next ones that carry a picked series). */
  times: number;
  /** Which series of a request fail; the others are forwarded and written. */
  pick: (series: WireSeries, index: number) => boolean;
  /** The status of the whole answer; default 13 INTERNAL, as the real API answered. */
  code?: number;
  /** The reason given for the picked series. */
  reason?: string;
}

export interface InterposedRequest {
  /** `metric type|labels|end seconds` of each series, in request order. */
  series: string[];
  /** The status the function received (0 OK). */
  code: number;
  details: string;
  /** The status the local MetricService answered for the forwarded part (undefined when nothing was forwarded). */
  upstreamCode: number | undefined;
  upstreamDetails: string;
  /** The caller gave up before the answer (its deadline passed). */
  cancelled: boolean;
}

export interface MonitoringInterposer {
  endpoint: string;
  /** Where to forward; set once the local MetricService is up. */
  setUpstream(endpoint: string): void;
  failSeries(fault: SeriesFault): void;
  createTimeSeries(): InterposedRequest[];
  close(): Promise<void>;
}

export function interposedSeriesKey(series: WireSeries): string {
  const labels = Object.entries(series.metric?.labels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  return `${series.metric?.type}|${labels}|${series.points?.[0]?.interval?.endTime?.seconds}`;
}

export async function startMonitoringInterposer(): Promise<MonitoringInterposer> {
  const definition = metricServiceDefinition();
  let upstream: Client | undefined;
  const faults: SeriesFault[] = [];
  const recorded: InterposedRequest[] = [];

  const forward = (method: MethodDefinition<object, object>, request: object) =>
    new Promise<{ error: ServiceError | null; response?: object }>((resolve) => {
      if (!upstream) {
        resolve({
          error: Object.assign(new Error('no upstream'), { code: status.UNAVAILABLE }) as ServiceError,
        });
        return;
      }
      upstream.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        (error, response) => resolve(response ? { error, response } : { error }),
      );
    });

  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const typed = method as MethodDefinition<object, object>;
    implementation[name] = async (call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) => {
      if (name !== 'CreateTimeSeries') {
        const { error, response } = await forward(typed, call.request);
        callback(error, response);
        return;
      }
      const entry: InterposedRequest = {
        series: [],
        code: 0,
        details: '',
        upstreamCode: undefined,
        upstreamDetails: '',
        cancelled: false,
      };
      recorded.push(entry);
      call.once('cancelled', () => {
        entry.cancelled = true;
      });
      callback(...(await createTimeSeries(typed, call.request as CreateRequest, entry)));
    };
  }

  async function createTimeSeries(
    method: MethodDefinition<object, object>,
    request: CreateRequest,
    entry: InterposedRequest,
  ): Promise<[ServiceError | null, object?]> {
    const all = request.timeSeries ?? [];
    const fault = faults[0];
    const failed = fault ? all.flatMap((series, index) => (fault.pick(series, index) ? [index] : [])) : [];
    entry.series = all.map(interposedSeriesKey);
    if (!fault || failed.length === 0) {
      const { error, response } = await forward(method, request);
      entry.code = entry.upstreamCode = error?.code ?? 0;
      entry.details = entry.upstreamDetails = error?.details ?? '';
      return response ? [error, response] : [error];
    }
    if (--fault.times <= 0) faults.shift();
    const passing = all.flatMap((_, index) => (failed.includes(index) ? [] : [index]));
    const parts = [
      `${fault.reason ?? 'An internal error occurred.'}: timeSeries[${formatIndexList(failed)}]`,
    ];
    if (passing.length > 0) {
      const { error } = await forward(method, { ...request, timeSeries: passing.map((index) => all[index]) });
      entry.upstreamCode = error?.code ?? 0;
      entry.upstreamDetails = error?.details ?? '';
      if (error && !error.details?.startsWith(PARTIAL_FAILURE_PREFIX)) {
        // The forwarded part failed as a whole (an injected fault): that is the answer.
        entry.code = error.code;
        entry.details = error.details;
        return [error];
      }
      // The forwarded request's own failures, renumbered to the function's request.
      if (error) {
        parts.push(
          error.details
            .slice(PARTIAL_FAILURE_PREFIX.length)
            .replace(/timeSeries\[([\d,-]+)\]/g, (_, list: string) => {
              const indices = list.split(',').flatMap((range) => {
                const [first, last = first] = range.split('-').map(Number);
                return Array.from({ length: last! - first! + 1 }, (_, k) => passing[first! + k]!);
              });
              return `timeSeries[${formatIndexList(indices)}]`;
            }),
        );
      }
    }
    entry.code = fault.code ?? status.INTERNAL;
    entry.details = PARTIAL_FAILURE_PREFIX + parts.join('; ');
    return [
      Object.assign(new Error(entry.details), { code: entry.code, details: entry.details }) as ServiceError,
    ];
  }

  const server = new Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    endpoint: `127.0.0.1:${port}`,
    setUpstream(endpoint) {
      upstream = new Client(endpoint, credentials.createInsecure());
    },
    failSeries: (fault) => void faults.push({ ...fault }),
    createTimeSeries: () => recorded.map((entry) => ({ ...entry, series: [...entry.series] })),
    close: () =>
      new Promise<void>((resolve) => {
        upstream?.close();
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000).unref();
      }),
  };
}
