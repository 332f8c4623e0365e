/**
 * Name rules: request names, user-defined metric types, label keys/values, and the monitored resource
 * types that accept user-defined metrics with their label sets.
 */
import {
  MAX_LABEL_KEY_LENGTH,
  MAX_LABEL_VALUE_BYTES,
  MAX_RELATIVE_NAME_LENGTH,
  seriesMessages,
} from './messages.js';

/** Label sets of the resource types writable for custom metrics (RECALLED list, gcp-facts §1.4). */
export const WRITABLE_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  global: ['project_id'],
  generic_task: ['project_id', 'location', 'namespace', 'job', 'task_id'],
  generic_node: ['project_id', 'location', 'namespace', 'node_id'],
  gce_instance: ['project_id', 'instance_id', 'zone'],
  k8s_cluster: ['project_id', 'location', 'cluster_name'],
  k8s_node: ['project_id', 'location', 'cluster_name', 'node_name'],
  k8s_pod: ['project_id', 'location', 'cluster_name', 'namespace_name', 'pod_name'],
  k8s_container: ['project_id', 'location', 'cluster_name', 'namespace_name', 'pod_name', 'container_name'],
  gke_container: [
    'project_id',
    'cluster_name',
    'namespace_id',
    'instance_id',
    'pod_id',
    'container_name',
    'zone',
  ],
  aws_ec2_instance: ['project_id', 'instance_id', 'region', 'aws_account'],
  dataflow_job: ['project_id', 'job_name', 'region'],
  gae_instance: ['project_id', 'module_id', 'version_id', 'instance_id', 'location'],
};

const USER_DEFINED_PREFIXES = ['custom.googleapis.com/', 'external.googleapis.com/'];
const RELATIVE_NAME = /^[A-Za-z0-9_/]+$/;
const LABEL_KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const PROJECT_NAME = /^projects\/([^/]+)$/;
const DESCRIPTOR_NAME = /^projects\/([^/]+)\/metricDescriptors\/(.+)$/;

/** Project id of `projects/{id}`, or undefined. */
export function projectOf(name: string | undefined): string | undefined {
  return PROJECT_NAME.exec(name ?? '')?.[1];
}

export function parseDescriptorName(name: string | undefined): { project: string; type: string } | undefined {
  const m = DESCRIPTOR_NAME.exec(name ?? '');
  return m?.[1] !== undefined && m[2] !== undefined ? { project: m[1], type: m[2] } : undefined;
}

export function isUserDefinedMetricType(type: string): boolean {
  const prefix = USER_DEFINED_PREFIXES.find((p) => type.startsWith(p));
  if (!prefix) return false;
  const relative = type.slice(prefix.length);
  return relative.length > 0 && relative.length <= MAX_RELATIVE_NAME_LENGTH && RELATIVE_NAME.test(relative);
}

export function isValidLabelKey(key: string): boolean {
  return key.length <= MAX_LABEL_KEY_LENGTH && LABEL_KEY.test(key);
}

/**
 * First problem with a label map, as a reason text; `path(j)` names the field of the j-th label,
 * e.g. `timeSeries[3].metric.labels[1]`.
 */
export function labelProblem(
  labels: Record<string, string>,
  path: (j: number) => string,
): string | undefined {
  const entries = Object.entries(labels);
  for (const [j, [key, value]] of entries.entries()) {
    if (!isValidLabelKey(key)) return seriesMessages.badLabelKey(path(j), key);
    if (Buffer.byteLength(value, 'utf8') > MAX_LABEL_VALUE_BYTES) {
      return seriesMessages.labelValueTooLong(path(j), key);
    }
  }
  return undefined;
}

/**
 * Checks a series' monitored resource; returns a reason text or the labels with `project_id` filled in
 * from the request name when the writer left it out.
 */
export function checkResource(
  index: number,
  type: string,
  labels: Record<string, string>,
  project: string,
): { reason: string } | { labels: Record<string, string> } {
  const allowed = WRITABLE_RESOURCES[type];
  if (!allowed) return { reason: seriesMessages.resourceNotWritable(type || '""') };
  for (const [j, key] of Object.keys(labels).entries()) {
    if (!allowed.includes(key)) return { reason: seriesMessages.unrecognizedResourceLabel(index, j, key) };
  }
  const missing = allowed.filter((k) => k !== 'project_id' && labels[k] === undefined).sort();
  if (missing.length > 0) return { reason: seriesMessages.resourceLabelsMissing(missing) };
  return { labels: { project_id: project, ...labels } };
}

/** Stable identity of a series: metric type + labels + resource type + labels (keys sorted). */
export function storeKey(
  metricType: string,
  metricLabels: Record<string, string>,
  resourceType: string,
  resourceLabels: Record<string, string>,
): string {
  const sorted = (l: Record<string, string>) =>
    Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([metricType, sorted(metricLabels), resourceType, sorted(resourceLabels)]);
}
