/** report/index.html: one self-contained page (inline SVG and CSS, no script, no network). */

import {
  alertCatalog,
  conditionMetrics,
  currentSeconds,
  dashboardThresholds,
  Monitor,
} from '../../../alerting/alerts.js';
import type { Incident, MetricSample } from '../../../alerting/evaluation.js';
import { catalog } from '../../../shared/monitoring/catalog.js';
import type { Problem } from '../config.js';
import { evaluationEnd } from '../evaluate.js';
import type { ReportData } from '../run.js';
import { delay, problemName, publishingDelays, simTime } from '../summary.js';
import { timeSeriesChart } from './charts.js';
import { featureFigures } from './features.js';
import { figure, liftFigures, qiniFigures, reliabilityFigures } from './figures.js';
import { REPORT_CSS } from './style.js';
import { escapeXml } from './svg.js';
import { alertTimeline, visibilityDetail, windowsOf } from './timeline.js';

export interface MetricChart {
  /** The report section the chart goes in: a monitor's, or the input features'. */
  monitor: 'drift' | 'features' | 'calibration' | 'lift' | 'uplift';
  metric: string;
  /** Drawn dashed on the same axis. */
  companion?: string;
  /** [lower, upper] metrics drawn as a band around the line. */
  band?: [string, string];
  logScale?: boolean;
}

/** The monitored metrics, each charted per market (a test checks every alert's metrics are among them). */
export const METRIC_CHARTS: MetricChart[] = [
  { monitor: 'drift', metric: 'drift/psi', companion: 'drift/psi_null99' },
  { monitor: 'drift', metric: 'drift/wasserstein_normed' },
  { monitor: 'drift', metric: 'drift/ks_p_value', logScale: true },
  { monitor: 'features', metric: 'features/quality_broken', companion: 'features/top_quality_broken' },
  { monitor: 'features', metric: 'features/drifted', companion: 'features/top_drifted' },
  { monitor: 'features', metric: 'features/max_psi' },
  {
    monitor: 'calibration',
    metric: 'calibration/oe_ratio',
    band: ['calibration/oe_ratio_lower', 'calibration/oe_ratio_upper'],
  },
  { monitor: 'calibration', metric: 'calibration/slope' },
  { monitor: 'calibration', metric: 'calibration/ece' },
  { monitor: 'calibration', metric: 'calibration/spiegelhalter_p_value', logScale: true },
  { monitor: 'lift', metric: 'lift/ratio', band: ['lift/ratio_lower', 'lift/ratio_upper'] },
  { monitor: 'lift', metric: 'lift/significant_miss_rate' },
  { monitor: 'lift', metric: 'lift/mean_absolute_miss' },
  { monitor: 'uplift', metric: 'uplift/qini_auc', band: ['uplift/qini_auc_lower', 'uplift/qini_auc_upper'] },
  { monitor: 'lift', metric: 'lift/srm_excluded_share' },
  { monitor: 'uplift', metric: 'uplift/uplift_at_30' },
];

const MONITOR_TITLES = {
  drift: 'Prediction drift (hourly windows)',
  features: 'Input features (hourly FeatureBatches, the listeners of the prediction windows)',
  calibration: 'Calibration (daily outcome batches, after the attribution delay)',
  lift: 'Realized vs predicted lift (campaigns maturing daily)',
  uplift: 'Uplift ranking (daily randomised batches)',
} as const;

export function describeProblem(problem: Problem): string {
  const ramp = problem.rampHours > 0 ? `, growing over ${problem.rampHours} h` : '';
  switch (problem.kind) {
    case 'prediction_drift':
      return `the scored population moved: prediction logits ${problem.logitShift > 0 ? '+' : ''}${problem.logitShift}${ramp} (still calibrated)`;
    case 'feature_pipeline_break': {
      const parts = [
        problem.nulls
          ? `${problem.nulls.feature} arrives null for ${Math.round(problem.nulls.share * 100)}% of rows (the model is fed ${problem.imputedAs})`
          : '',
        problem.unseenCategory
          ? `${problem.unseenCategory.feature} arrives as ${problem.unseenCategory.category}, a category the model never saw, for ${Math.round(problem.unseenCategory.share * 100)}% (scored as the reference level)`
          : '',
      ].filter(Boolean);
      return `a feature pipeline break: ${parts.join('; ')}${ramp}; the predictions drift with it`;
    }
    case 'calibration_decay':
      return `true conversion logits ${problem.logitShift > 0 ? '+' : ''}${problem.logitShift}${ramp}: predictions ${problem.logitShift < 0 ? 'too high' : 'too low'}`;
    case 'lift_overprediction':
      return `campaigns realize ${Math.round(problem.realizedShare * 100)}% of the predicted lift${ramp}`;
    case 'uplift_ranking_loss':
      return `listeners realize ${problem.ranking === 'random' ? 'uplift unrelated to their scores' : 'the least uplift where the scores predict the most'}${ramp}`;
    case 'holdout_imbalance':
      return `the holdout of ${problem.campaigns} campaigns a day loses ${Math.round(problem.controlLoss * 100)}% of its control units, non-converters only${ramp}: a sample ratio mismatch that biases their realized lift`;
  }
}

function seriesOf(samples: MetricSample[], metric: string, market: string): MetricSample[] {
  return samples
    .filter((sample) => sample.metric === metric && sample.labels.segment === `market=${market}`)
    .sort((a, b) => a.timeMs - b.timeMs);
}

function metricRow(
  data: ReportData,
  chart: MetricChart,
  thresholds: ReturnType<typeof dashboardThresholds>,
): string {
  const { scenario, samples, summary } = data;
  const entry = catalog.metrics.find((candidate) => candidate.name === chart.metric);
  const names = [chart.metric, ...(chart.band ?? []), ...(chart.companion ? [chart.companion] : [])];
  const lines = names.flatMap((name) =>
    (thresholds[name] ?? []).map((line) => ({
      ...line,
      label: `${line.label}: ${name} ${line.direction === 'ABOVE' ? 'above' : 'below'} ${line.value}`,
    })),
  );
  const alertNames = new Set(
    alertCatalog.alerts
      .filter((alert) =>
        alert.conditions.some((condition) =>
          conditionMetrics(condition).some((name) => names.includes(name)),
        ),
      )
      .map((alert) => alert.name),
  );
  const figures = scenario.config.markets.map((market) => {
    const line = seriesOf(samples, chart.metric, market);
    const byTime = (name: string) =>
      new Map(seriesOf(samples, name, market).map((sample) => [sample.timeMs, sample.value]));
    const [lower, upper] = chart.band
      ? [byTime(chart.band[0]), byTime(chart.band[1])]
      : [undefined, undefined];
    const injected = scenario.problems.find((p) => p.problem.market === market);
    const shades = summary.incidents
      .filter(
        (incident: Incident) =>
          incident.labels.segment === `market=${market}` && alertNames.has(incident.alert),
      )
      .map((incident) => ({
        fromMs: incident.openedAtMs,
        toMs: incident.closedAtMs ?? scenario.endMs,
        severity: incident.severity,
        title: `${incident.alert} (${incident.severity}) from ${simTime(scenario, incident.openedAtMs)}`,
      }));
    const svg = timeSeriesChart({
      title: `${chart.metric} in ${market}`,
      startMs: scenario.startMs,
      endMs: scenario.endMs,
      stableEndMs: summary.stableEndMs,
      line: line.map((sample) => [sample.timeMs, sample.value]),
      ...(chart.companion
        ? {
            companion: {
              name: chart.companion,
              points: seriesOf(samples, chart.companion, market).map(
                (s) => [s.timeMs, s.value] as [number, number],
              ),
            },
          }
        : {}),
      ...(lower && upper
        ? {
            band: line
              .filter((sample) => lower.has(sample.timeMs) && upper.has(sample.timeMs))
              .map(
                (sample) =>
                  [sample.timeMs, lower.get(sample.timeMs)!, upper.get(sample.timeMs)!] as [
                    number,
                    number,
                    number,
                  ],
              ),
          }
        : {}),
      thresholds: lines,
      shades,
      ...(injected
        ? {
            injection: {
              atMs: injected.startMs,
              label: `${problemName(injected)} injected at ${simTime(scenario, injected.startMs)}`,
            },
          }
        : {}),
      ...(chart.logScale ? { logScale: true } : {}),
    });
    return figure(market, injected?.problem, svg, line.length);
  });
  const extra = [
    chart.companion ? `dashed: <code>${chart.companion}</code>` : '',
    chart.band ? `band: 95% interval` : '',
    chart.logScale ? 'log scale' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<div class="metric"><h3>${escapeXml(entry?.displayName ?? chart.metric)} <code>${chart.metric}</code>${extra ? ` <span class="extra">${extra}</span>` : ''}</h3><div class="grid">${figures.join('')}</div></div>`;
}

/** `drift 1 h 40 min, calibration 1 d 6 h 10 min, ...`: each monitor's lookback. */
const lookbacks = () =>
  Monitor.map((monitor) => `${monitor} ${delay(currentSeconds(alertCatalog.timing, monitor) * 1000)}`).join(
    ', ',
  );

/** `drift 5 min, calibration 15 min, ...`: each monitor's evaluation interval. */
const intervals = () =>
  Monitor.map(
    (monitor) =>
      `${monitor} ${delay(alertCatalog.timing.monitors[monitor].evaluationIntervalSeconds * 1000)}`,
  ).join(', ');

function cards(data: ReportData): string {
  const { scenario, summary } = data;
  const detections = summary.detections.map(({ problem, first, firstCritical, required, withinDelay }) => {
    const ok = first !== undefined;
    const groups =
      required.length > 1
        ? `<div>pages through ${required
            .map(({ name, first: firstOfGroup }) =>
              firstOfGroup
                ? `${name} (<code>${firstOfGroup.alert}</code> after ${delay(firstOfGroup.openedAtMs - problem.startMs)})`
                : `${name} (not detected)`,
            )
            .join(' and ')}</div>`
        : '';
    return `<div class="card ${withinDelay ? 'ok' : 'bad'}"><div class="cardtitle">${escapeXml(problemName(problem))}</div>
      <div>${escapeXml(describeProblem(problem.problem))}; injected ${simTime(scenario, problem.startMs)}</div>
      <div class="big">${ok ? `detected after ${delay(first.openedAtMs - problem.startMs)}` : 'not detected'}</div>
      ${first ? `<div>first alert <code>${first.alert}</code> at ${simTime(scenario, first.openedAtMs)}</div>` : ''}
      ${firstCritical ? `<div>first CRITICAL <code>${firstCritical.alert}</code> after ${delay(firstCritical.openedAtMs - problem.startMs)}</div>` : ''}${groups}</div>`;
  });
  const stable = summary.stableAlarms.length;
  const unexplained = summary.unexplained.length;
  detections.push(
    `<div class="card ${stable === 0 ? 'ok' : 'bad'}"><div class="cardtitle">${scenario.config.stableDays === 1 ? 'Stable day 1' : `Stable days 1-${scenario.config.stableDays}`}</div>
      <div>no problem injected in any market</div><div class="big">${stable} false alarm${stable === 1 ? '' : 's'}</div>
      <div>alerts no injected problem explains, all days: ${unexplained}</div></div>`,
  );
  return `<div class="cards">${detections.join('')}</div>`;
}

/** The close-up of the drift windows' visibility around the injected drift, when there is one. */
function detail(data: ReportData): string {
  const injected = data.scenario.problems.find((problem) => problem.monitor === 'drift');
  if (!injected) return '';
  const lookbackMs = currentSeconds(alertCatalog.timing, 'drift') * 1000;
  const windows = windowsOf(data.samples, 'drift', injected.problem.market);
  // A gap: a window becomes visible only after the previous one has left the lookback.
  const gaps = windows.slice(1).filter((window, i) => window.visibleAtMs > windows[i]!.endMs + lookbackMs);
  const verdict =
    gaps.length === 0
      ? 'each window became visible before the previous one stopped being current: the series had no gap'
      : `${gaps.length} of ${windows.length} windows became visible only after the previous one stopped being current: the conditions cannot hold across those gaps`;
  return `<h3>Drift windows in ${escapeXml(injected.problem.market)} around the injected drift</h3><p class="legend">● window end <span class="key lagkey"></span> until visible <span class="key currentkey"></span> current: read by <code>last_over_time</code> until window end + lookback (${delay(lookbackMs)}). Over the whole run ${verdict}.</p>
${visibilityDetail(data.scenario, injected, data.samples, data.summary.incidents)}`;
}

export function renderReport(data: ReportData): string {
  const { scenario, summary, run } = data;
  const thresholds = dashboardThresholds();
  const sections = (['drift', 'features', 'calibration', 'lift', 'uplift'] as const).map((monitor) => {
    const rows = METRIC_CHARTS.filter((chart) => chart.monitor === monitor).map((chart) =>
      metricRow(data, chart, thresholds),
    );
    const extra =
      monitor === 'features'
        ? featureFigures(data)
        : monitor === 'calibration'
          ? reliabilityFigures(data)
          : monitor === 'lift'
            ? liftFigures(data)
            : monitor === 'uplift'
              ? qiniFigures(data)
              : '';
    return `<section id="${monitor}"><h2>${MONITOR_TITLES[monitor]}</h2>${rows.join('')}${extra}</section>`;
  });
  const c = run.counts;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>liftwatch: ${escapeXml(scenario.config.model)} ${escapeXml(scenario.config.modelVersion)} scenario report</title>
<style>${REPORT_CSS}</style></head><body>
<header><h1>liftwatch · ${escapeXml(scenario.config.model)} ${escapeXml(scenario.config.modelVersion)}</h1>
<p>${scenario.config.days} simulated days from ${scenario.config.start.slice(0, 10)}, markets ${scenario.config.markets.join(', ')}, seed ${scenario.seed}.
Alerts from <code>alerting/alerts.json</code>, evaluated from the plan Terraform's PromQL policies are rendered from, over what was visible at each evaluation time (checked against promtool step by step in test/alerting/crossCheck.test.ts).</p>
<nav><a href="#alerts">Alerts</a> <a href="#drift">Drift</a> <a href="#features">Features</a> <a href="#calibration">Calibration</a> <a href="#lift">Lift</a> <a href="#uplift">Uplift</a> <a href="#notes">How this was made</a></nav></header>
<main>${cards(data)}
<section id="alerts"><h2>Alerts over time</h2><p class="legend"><span class="key stablekey"></span> stable days <span class="key lagkey"></span> a point's window end to when it became visible (${escapeXml(publishingDelays(scenario))}) <span class="key warnkey"></span> WARNING firing <span class="key critkey"></span> CRITICAL firing <span class="key pendkey"></span> pending (conditions hold, duration not yet reached) <span class="key injkey"></span> problem injected</p>
${alertTimeline(scenario, summary.incidents, data.samples, summary.stableEndMs, evaluationEnd(scenario))}
${detail(data)}</section>
${sections.join('\n')}
<section id="notes"><h2>How this was made</h2><ul>
<li>${c.messages} messages published with the real Pub/Sub client to the emulator and pushed to the Functions Framework processes; ${c.written} wrote ${c.pointsWritten} points to the local Cloud Monitoring, ${c.rejected} had points rejected, ${c.refused} were refused, ${c.retried} deliveries were retried. Wall time ${run.wallSeconds} s.</li>
<li>Simulated time: window ends were laid ${run.timeFactor} times faster over the last real hours (Cloud Monitoring accepts points at most 25 h old) and mapped back exactly; alert lookbacks and durations are applied unscaled in simulated time.</li>
<li>Publication: ${escapeXml(publishingDelays(scenario))}. The replay publishes every window at that time, in order of publication, with the local Cloud Monitoring's clock at the publication time: a point is readable from the write time it recorded${scenario.config.ingestionDelayMinutes > 0 ? ' plus the ingestion delay' : ''}, never earlier, and the alerts read it only from then.</li>
<li>Alerts: each condition reads the latest point within the alert's lookback among those visible (${escapeXml(lookbacks())}); all conditions must hold together for the same project, model, version and segment, for the alert's duration, evaluated every ${escapeXml(intervals())}. Shaded areas on a metric's chart are the alerts that read that metric.</li>
<li>Generated ${escapeXml(run.generatedAt)}.</li></ul></section></main></body></html>
`;
}
