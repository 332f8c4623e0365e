/** A local MetricService with the catalog's descriptors created, and a real client pointed at it. */
import type { MetricServiceClient } from '@google-cloud/monitoring';
import { createMetricDescriptors } from '../../alerting/descriptors.js';
import { type LocalMetricService, startLocalMetricService } from '../../local/metricService.js';
import { monitoringClient } from '../../shared/runtime.js';

export const PROJECT = 'liftwatch-test';

export async function startMonitoring(
  options: Parameters<typeof startLocalMetricService>[0] = {},
): Promise<{ service: LocalMetricService; client: MetricServiceClient }> {
  const service = await startLocalMetricService({ requireDescriptors: true, ...options });
  const client = monitoringClient(PROJECT, service.endpoint);
  await createMetricDescriptors(client as never, PROJECT);
  return { service, client };
}
