/**
 * The subset of the Monitoring filter language the local service understands:
 * clauses `metric.type`, `resource.type`, `project`, `metric.label.K` / `metric.labels.K`,
 * `resource.label.K` / `resource.labels.K`, compared with `=` or `!=` to a "quoted string" or
 * `starts_with("prefix")`, joined by AND.
 */

export interface Clause {
  field: 'metric.type' | 'resource.type' | 'project' | 'metric.label' | 'resource.label';
  key?: string;
  negate: boolean;
  value: string;
  prefix: boolean;
}

export interface FilterTarget {
  metricType: string;
  metricLabels: Record<string, string>;
  resourceType: string;
  resourceLabels: Record<string, string>;
  project: string;
}

const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
const CLAUSE = new RegExp(
  String.raw`\s*(metric\.type|resource\.type|project|(metric|resource)\.labels?\.([A-Za-z_][A-Za-z0-9_]*))` +
    String.raw`\s*(!=|=)\s*(?:${STRING}|starts_with\(\s*${STRING}\s*\))\s*(AND\s+|$)`,
  'y',
);

const unquote = (s: string) => s.replace(/\\(.)/g, '$1');

/** Parsed clauses, or an error text naming the part that could not be parsed. */
export function parseFilter(filter: string): Clause[] | { error: string } {
  const clauses: Clause[] = [];
  CLAUSE.lastIndex = 0;
  let at = 0;
  while (at < filter.length) {
    CLAUSE.lastIndex = at;
    const m = CLAUSE.exec(filter);
    if (!m) {
      return {
        error: `Field filter had an invalid value of "${filter}": the local MetricService cannot parse "${filter.slice(at).trim()}"; it understands metric.type, resource.type, project, metric.label(s).KEY and resource.label(s).KEY compared with = or != to "string" or starts_with("prefix"), joined by AND.`,
      };
    }
    const [, name = '', scope, key, op, quoted, prefixed] = m;
    const field: Clause['field'] = scope ? (`${scope}.label` as Clause['field']) : (name as Clause['field']);
    clauses.push({
      field,
      ...(key !== undefined ? { key } : {}),
      negate: op === '!=',
      value: unquote(quoted ?? prefixed ?? ''),
      prefix: prefixed !== undefined,
    });
    at = CLAUSE.lastIndex;
    if (at === m.index) break;
  }
  return clauses;
}

function fieldValue(c: Clause, t: FilterTarget): string | undefined {
  switch (c.field) {
    case 'metric.type':
      return t.metricType;
    case 'resource.type':
      return t.resourceType;
    case 'project':
      return t.project;
    case 'metric.label':
      return t.metricLabels[c.key ?? ''];
    case 'resource.label':
      return t.resourceLabels[c.key ?? ''];
  }
}

export function matches(clauses: readonly Clause[], target: FilterTarget): boolean {
  return clauses.every((c) => {
    const v = fieldValue(c, target);
    const hit = v !== undefined && (c.prefix ? v.startsWith(c.value) : v === c.value);
    return c.negate ? !hit : hit;
  });
}

/** Offset-based page tokens. */
export function paginate<T>(
  items: readonly T[],
  pageSize: number | undefined,
  pageToken: string | undefined,
): { page: T[]; nextPageToken: string } | { error: string } {
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    return { error: `Field pageToken had an invalid value of "${pageToken}": Invalid page token.` };
  }
  const size = pageSize && pageSize > 0 ? pageSize : 100_000;
  const end = Math.min(items.length, start + size);
  return { page: items.slice(start, end), nextPageToken: end < items.length ? String(end) : '' };
}
