/**
 * Metric descriptors built from the catalog. In production Terraform creates them from the same metrics.json;
 * the local stack and the tests create them with this, so both declare exactly the same metrics.
 */
import { catalog, metricType } from '../shared/monitoring/catalog.js';
import type { TimeSeriesClient } from '../shared/monitoring/writer.js';

export interface DescriptorClient extends TimeSeriesClient {
  createMetricDescriptor(request: {
    name: string;
    metricDescriptor: Record<string, unknown>;
  }): Promise<unknown>;
}

export function metricDescriptors(): Record<string, unknown>[] {
  return catalog.metrics.map((entry) => ({
    type: metricType(entry),
    metricKind: entry.kind,
    valueType: entry.valueType,
    unit: entry.unit,
    displayName: entry.displayName,
    description: entry.description,
    labels: [...catalog.labels, ...(entry.extraLabels ?? [])].map(({ key, description }) => ({
      key,
      valueType: 'STRING',
      description,
    })),
  }));
}

export async function createMetricDescriptors(client: DescriptorClient, projectId: string): Promise<number> {
  const descriptors = metricDescriptors();
  for (const metricDescriptor of descriptors) {
    await client.createMetricDescriptor({ name: `projects/${projectId}`, metricDescriptor });
  }
  return descriptors.length;
}
