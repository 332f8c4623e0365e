/** gRPC handlers of the local MetricService, with fault injection around each implemented RPC. */
import {
  type ServerUnaryCall,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { createDescriptor, deleteDescriptor, getDescriptor, listDescriptors } from './descriptors.js';
import { rpcMessages, seriesMessages } from './messages.js';
import { listTimeSeries } from './read.js';
import { failWith, type HandlerContext, type Outcome, rpcError } from './rpc.js';
import type { Fault, MetricServiceRpc } from './types.js';
import type { WireTimeSeries } from './wire.js';
import { createTimeSeries } from './write.js';
import { writeStatus } from './writeStatus.js';

export type { HandlerContext } from './rpc.js';

const DEFAULT_FAULT_MESSAGES: Partial<Record<status, string>> = {
  [status.UNAVAILABLE]: 'The service is currently unavailable.',
  [status.INTERNAL]: seriesMessages.internal,
  [status.DEADLINE_EXCEEDED]: 'The request deadline was exceeded before the server finished.',
  [status.RESOURCE_EXHAUSTED]: 'Quota exceeded for the local MetricService (injected fault).',
  [status.PERMISSION_DENIED]:
    'Permission monitoring.timeSeries.create denied (or the resource may not exist).',
};

export function metricServiceHandlers(ctx: HandlerContext): UntypedServiceImplementation {
  return {
    CreateTimeSeries: unary(ctx, 'CreateTimeSeries', writeTimeSeries),
    CreateMetricDescriptor: unary(ctx, 'CreateMetricDescriptor', createDescriptor),
    GetMetricDescriptor: unary(ctx, 'GetMetricDescriptor', getDescriptor),
    DeleteMetricDescriptor: unary(ctx, 'DeleteMetricDescriptor', deleteDescriptor),
    ListMetricDescriptors: unary(ctx, 'ListMetricDescriptors', listDescriptors),
    ListTimeSeries: unary(ctx, 'ListTimeSeries', listTimeSeries),
    ListMonitoredResourceDescriptors: unimplemented('ListMonitoredResourceDescriptors'),
    GetMonitoredResourceDescriptor: unimplemented('GetMonitoredResourceDescriptor'),
    CreateServiceTimeSeries: unimplemented('CreateServiceTimeSeries'),
  };
}

function writeTimeSeries(
  ctx: HandlerContext,
  req: { name?: string; timeSeries?: WireTimeSeries[] },
  fault?: Fault,
): Outcome {
  const result = createTimeSeries(
    {
      store: ctx.store,
      nowMs: ctx.now(),
      ingestionDelayMs: ctx.ingestionDelayMs,
      samplingPeriodMs: ctx.samplingPeriodMs,
      requireDescriptors: ctx.requireDescriptors,
      request: ctx.store.callCount('CreateTimeSeries'),
      ingestionRequestsPerMinute: ctx.ingestionRequestsPerMinute,
      seriesFault: seriesFaultOf(fault),
    },
    req,
  );
  return writeStatus(result, ctx.partialFailureFormat);
}

/** A fault that names series fails just those, with its code and the per-series text of that code. */
export function seriesFaultOf(fault: Fault | undefined) {
  if (!fault?.series) return undefined;
  return { indices: new Set(fault.series), code: fault.code, reason: faultMessage(fault) };
}

const faultMessage = (fault: Fault): string =>
  fault.message ?? DEFAULT_FAULT_MESSAGES[fault.code] ?? `Injected fault (${status[fault.code]}).`;

/** A unary handler that counts the call, applies the next fault queued for `rpc` (if any) and answers. */
function unary<Req>(
  ctx: HandlerContext,
  rpc: MetricServiceRpc,
  handle: (ctx: HandlerContext, req: Req, fault?: Fault) => Outcome,
) {
  const run = (req: Req, fault?: Fault): Outcome => {
    try {
      return handle(ctx, req, fault);
    } catch (err) {
      return failWith(status.INTERNAL, `local MetricService failed on ${rpc}: ${String(err)}`);
    }
  };
  return (call: ServerUnaryCall<Req, object>, callback: sendUnaryData<object>): void => {
    ctx.store.countCall(rpc);
    const answer = (o: Outcome) => ('error' in o ? callback(o.error) : callback(null, o.response));
    const fault = ctx.store.takeFault(rpc);
    if (!fault) {
      answer(run(call.request));
      return;
    }
    void applyFault(ctx, fault, (f) => run(call.request, f)).then(answer);
  };
}

export async function applyFault(
  ctx: { signal: AbortSignal },
  fault: Fault,
  run: (seriesFault?: Fault) => Outcome,
): Promise<Outcome> {
  if (fault.series) {
    await sleep(fault.delayMs ?? 0, ctx.signal);
    return run(fault);
  }
  const failure = failWith(fault.code, faultMessage(fault));
  if (fault.writeBeforeFailing) {
    const outcome = run();
    await sleep(fault.delayMs ?? 0, ctx.signal);
    return fault.code === status.OK ? outcome : failure;
  }
  await sleep(fault.delayMs ?? 0, ctx.signal);
  return fault.code === status.OK ? run() : failure;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function unimplemented(rpc: string) {
  return (_call: ServerUnaryCall<unknown, object>, callback: sendUnaryData<object>): void =>
    callback(rpcError(status.UNIMPLEMENTED, rpcMessages.unimplemented(rpc)));
}
