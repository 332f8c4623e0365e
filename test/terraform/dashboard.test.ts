/**
 * The dashboard JSON as Terraform builds it: terraform/dashboard.tf rendered by Terraform itself in a scratch
 * module (its locals only: the two resources at its end need the google provider, and the few values it takes
 * from other files are stubbed with their shapes), for all monitors and for drift alone. Skipped when terraform
 * is not on PATH.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { alertQueriesFile } from '../../alerting/alerts.js';
import { catalog } from '../../shared/monitoring/catalog.js';
import { repoRoot, terraformDir } from './support/hcl.js';

const noTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).error
  ? 'terraform is not on PATH'
  : false;
const scratch = mkdtempSync(join(tmpdir(), 'liftwatch-dashboard-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The locals of dashboard.tf, up to the resources that need the provider. */
function dashboardLocals(): string {
  const text = readFileSync(join(terraformDir, 'dashboard.tf'), 'utf8');
  const end = text.indexOf('\nresource "');
  assert.ok(end > 0, 'dashboard.tf has no resource block after its locals');
  // The log-based metrics' names, as logging_metrics.tf gives them.
  return text
    .slice(0, end)
    .replaceAll('google_logging_metric.liftwatch[metric].name', `"liftwatch/\${metric}"`);
}

/** What dashboard.tf reads from the other files: variables and the subscription and service filters. */
const STUBS = `
variable "monitors" {
  type = set(string)
}
variable "pipeline_health" {
  type    = object({ oldest_unacked_seconds = number })
  default = { oldest_unacked_seconds = 3600 }
}
locals {
  metric_catalog                  = jsondecode(file("\${path.module}/../shared/monitoring/metrics.json"))
  metric_prefix                   = local.metric_catalog.typePrefix
  dead_letter_subscription_filter = "one_of(\\"predictions-dead-letters\\")"
  push_subscription_filter        = "one_of(\\"predictions-drift-monitor\\")"
  function_service_filter         = "one_of(\\"liftwatch-drift-monitor\\")"
}
output "dashboard_json" {
  value = local.dashboard_json
}
`;

interface DataSet {
  timeSeriesQuery: {
    timeSeriesFilter: {
      filter: string;
      pickTimeSeriesFilter?: { rankingMethod: string; numTimeSeries: number; direction: string };
    };
  };
}
interface Widget {
  title: string;
  xyChart?: { dataSets: DataSet[]; thresholds?: { label: string; value: number; direction: string }[] };
  timeSeriesTable?: { dataSets: DataSet[] };
}
interface Dashboard {
  dashboardFilters: { filterType: string; labelKey: string }[];
  gridLayout: { widgets: Widget[] };
}

/** The dashboard JSON for a set of monitors, rendered by terraform apply in a scratch module. */
function render(monitors: string[]): Dashboard {
  const dir = join(scratch, monitors.join('-'), 'terraform');
  mkdirSync(join(dir, 'generated'), { recursive: true });
  cpSync(join(repoRoot, 'shared/monitoring'), join(dir, '../shared/monitoring'), { recursive: true });
  writeFileSync(join(dir, 'generated/alert-queries.json'), alertQueriesFile());
  writeFileSync(join(dir, 'dashboard.tf'), dashboardLocals());
  writeFileSync(join(dir, 'stubs.tf'), STUBS);
  const run = (args: string[]) => {
    const result = spawnSync('terraform', [...args, '-no-color'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
    });
    assert.equal(result.status, 0, `terraform ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  run(['init', '-backend=false', '-input=false']);
  run(['apply', '-auto-approve', '-input=false', `-var=monitors=${JSON.stringify(monitors)}`]);
  return JSON.parse(JSON.parse(run(['output', '-json', 'dashboard_json'])) as string) as Dashboard;
}

const metricOf = (dataSet: DataSet) =>
  /metric\.type="custom\.googleapis\.com\/liftwatch\/([a-z_/]+)"/.exec(
    dataSet.timeSeriesQuery.timeSeriesFilter.filter,
  )?.[1];
const dataSetsOf = (widget: Widget) => widget.xyChart?.dataSets ?? widget.timeSeriesTable?.dataSets ?? [];
const metricsOf = (widget: Widget) => dataSetsOf(widget).map(metricOf).filter(Boolean) as string[];

test('the dashboard has a feature section filterable by model, segment and feature', {
  skip: noTerraform,
}, () => {
  const dashboard = render(['calibration', 'drift', 'features', 'lift', 'uplift']);
  assert.deepEqual(
    dashboard.dashboardFilters.map((filter) => [filter.filterType, filter.labelKey]),
    [
      ['METRIC_LABEL', 'model'],
      ['METRIC_LABEL', 'segment'],
      ['METRIC_LABEL', 'feature'],
    ],
  );
  const widgets = dashboard.gridLayout.widgets;
  const charting = (metric: string) => widgets.filter((widget) => metricsOf(widget).includes(metric));
  // Top features by PSI: the 10 series of feature/psi with the highest value over the time range.
  const [topPsi] = charting('feature/psi').filter((widget) => widget.xyChart);
  assert.ok(topPsi, 'no chart of feature/psi');
  assert.deepEqual(topPsi.xyChart!.dataSets[0]!.timeSeriesQuery.timeSeriesFilter.pickTimeSeriesFilter, {
    direction: 'TOP',
    numTimeSeries: 10,
    rankingMethod: 'METHOD_MAX',
  });
  // Missing shares over time, out-of-range and unseen shares, the counts and importance-weighted drift.
  for (const metric of [
    'feature/missing_share',
    'feature/out_of_range_share',
    'feature/unseen_share',
    'features/drifted',
    'features/quality_broken',
    'features/importance_weighted_drift',
  ])
    assert.ok(
      charting(metric).some((widget) => widget.xyChart),
      `no chart of ${metric}`,
    );
  // The counts' charts draw the alerts' thresholds, from the same catalog.
  const lines = (metric: string) =>
    charting(metric)[0]!.xyChart!.thresholds!.map((line) => [line.label, line.value, line.direction]);
  assert.deepEqual(lines('features/drifted'), [
    ['warning: feature_drift_warning', 3, 'ABOVE'],
    ['warning: feature_drift_warning', 0, 'ABOVE'],
  ]);
  assert.deepEqual(lines('features/quality_broken'), [
    ['warning: feature_quality_warning', 0, 'ABOVE'],
    ['critical: feature_quality_critical', 0, 'ABOVE'],
  ]);
  // The latest statistics of every feature side by side.
  const table = widgets.find((widget) => widget.timeSeriesTable && metricsOf(widget).includes('feature/psi'));
  assert.ok(table, 'no table of the latest feature statistics');
  // Every metric the dashboard charts is in the catalog, and every feature metric is charted.
  const charted = new Set(widgets.flatMap(metricsOf));
  const names = new Set(catalog.metrics.map((entry) => entry.name));
  assert.deepEqual(
    [...charted].filter((name) => !names.has(name)),
    [],
  );
  assert.deepEqual(
    catalog.metrics
      .filter((entry) => entry.writtenBy === 'featureMonitor' && !charted.has(entry.name))
      .map((entry) => entry.name),
    [],
  );
});

test('without the features monitor the dashboard has no feature charts and no feature filter', {
  skip: noTerraform,
}, () => {
  const dashboard = render(['drift']);
  assert.deepEqual(
    dashboard.dashboardFilters.map((filter) => filter.labelKey),
    ['model', 'segment'],
  );
  const charted = dashboard.gridLayout.widgets.flatMap(metricsOf);
  assert.ok(charted.includes('drift/psi'));
  assert.deepEqual(
    charted.filter((name) => !name.startsWith('drift/')),
    [],
  );
});
