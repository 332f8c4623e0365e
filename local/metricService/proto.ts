/**
 * Loads google.monitoring.v3.MetricService from the .proto files shipped in node_modules
 * (@google-cloud/monitoring/build/protos + google-gax/build/protos for google/api, google/rpc,
 * google/protobuf) and encodes the `grpc-status-details-bin` trailer of a partial failure.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { protos } from '@google-cloud/monitoring';
import { Metadata, type ServiceDefinition, type status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

export function protoIncludeDirs(): string[] {
  const monitoringMain = require.resolve('@google-cloud/monitoring');
  const gaxMain = createRequire(monitoringMain).resolve('google-gax');
  return [
    path.resolve(path.dirname(monitoringMain), '../protos'),
    path.resolve(path.dirname(gaxMain), '../protos'),
  ];
}

let cached: ServiceDefinition | undefined;

export function metricServiceDefinition(): ServiceDefinition {
  if (cached) return cached;
  const definition = loadSync('google/monitoring/v3/metric_service.proto', {
    includeDirs: protoIncludeDirs(),
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
    arrays: true,
    objects: true,
  });
  const service = definition['google.monitoring.v3.MetricService'];
  if (!service || !('CreateTimeSeries' in service)) {
    throw new Error('google.monitoring.v3.MetricService not found in metric_service.proto');
  }
  cached = service as ServiceDefinition;
  return cached;
}

export const SUMMARY_TYPE_URL = 'type.googleapis.com/google.monitoring.v3.CreateTimeSeriesSummary';

/**
 * Trailer metadata carrying a serialized google.rpc.Status whose details hold one
 * google.monitoring.v3.CreateTimeSeriesSummary packed in an Any (one error per group, with its own code).
 */
export function partialFailureMetadata(
  code: status,
  message: string,
  summary: {
    totalPointCount: number;
    successPointCount: number;
    errors: { code: status; message: string; pointCount: number }[];
  },
): Metadata {
  const summaryBytes = protos.google.monitoring.v3.CreateTimeSeriesSummary.encode({
    totalPointCount: summary.totalPointCount,
    successPointCount: summary.successPointCount,
    errors: summary.errors.map((e) => ({
      status: { code: e.code, message: e.message },
      pointCount: e.pointCount,
    })),
  }).finish();
  const statusBytes = protos.google.rpc.Status.encode({
    code,
    message,
    details: [{ type_url: SUMMARY_TYPE_URL, value: summaryBytes }],
  }).finish();
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(statusBytes));
  return metadata;
}
