/**
 * The report's input-feature figures for each market whose feature pipeline broke: the features ranked as the
 * `feature_drift` log line ranked them in the window on-call read when the first feature alert paged (broken and
 * drifting first), and per feature its missing share and PSI over the run; then, for the other markets, what
 * their windows' log lines said (nothing drifting, nothing broken).
 */
import type { Incident, MetricSample } from '../../../alerting/evaluation.js';
import { featureRules } from '../../../shared/monitors/featureRules.js';
import { REQUIRED_ALERTS_OF_PROBLEM } from '../config.js';
import { FEATURE_NAMES } from '../features.js';
import type { InjectedProblem } from '../generate.js';
import type { ReportData } from '../run.js';
import { delay, problemName, simTime } from '../summary.js';
import { timeSeriesChart } from './charts.js';
import { figure } from './figures.js';
import { escapeXml } from './svg.js';

/** One window's feature_drift log line, at simulated time. */
export interface FeatureWindowLog {
  market: string;
  simTimeMs: number;
  drifted: number;
  qualityBroken: number;
  /** The features as ranked in the line, with their statistics and flags. */
  ranked: RankedFeature[];
}

export interface RankedFeature {
  name: string;
  kind: 'numeric' | 'categorical';
  importance?: number;
  absent?: boolean;
  n?: number;
  missingShare?: number;
  missingShareReference?: number;
  missingShareDiffLower?: number;
  psi?: number;
  psiNull99?: number;
  outOfRangeShare?: number;
  unseenShare?: number;
  lInfinity?: number;
  drifting: boolean;
  qualityBroken: boolean;
  reasons?: string[];
}

/** Problems whose story runs through the input features. */
const featureProblems = (data: ReportData): InjectedProblem[] =>
  data.scenario.problems.filter(({ problem }) => problem.kind === 'feature_pipeline_break');

const featureAlerts = (data: ReportData, market: string): Incident[] => {
  const [pattern] = REQUIRED_ALERTS_OF_PROBLEM.feature_pipeline_break.map((group) => group.alerts);
  return data.summary.incidents.filter(
    (incident) => incident.labels.segment === `market=${market}` && pattern!.test(incident.alert),
  );
};

const share = (value: number | undefined) => (value === undefined ? '–' : `${(100 * value).toFixed(1)}%`);
const number = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(3));

/** The window on-call read when paged: the latest one visible when the market's first feature alert opened. */
function pagedWindow(
  data: ReportData,
  injected: InjectedProblem,
): { window?: FeatureWindowLog; alert?: Incident } {
  const { market } = injected.problem;
  const alert = featureAlerts(data, market)[0];
  const delayMs = data.scenario.config.publishDelayMinutes.features * 60_000;
  const windows = data.featureWindows.filter((window) => window.market === market);
  const visibleBy = alert?.openedAtMs ?? Number.POSITIVE_INFINITY;
  const window = windows.filter((candidate) => candidate.simTimeMs + delayMs <= visibleBy).at(-1);
  return { ...(window ? { window } : {}), ...(alert ? { alert } : {}) };
}

function rankedTable(window: FeatureWindowLog): string {
  const rows = window.ranked.map((feature, index) => {
    const flags = [
      feature.qualityBroken ? '<span class="flag broken">quality broken</span>' : '',
      feature.drifting ? '<span class="flag drifting">drifting</span>' : '',
    ].join(' ');
    return `<tr class="${feature.qualityBroken || feature.drifting ? 'flagged' : ''}"><td>${index + 1}</td><td><code>${escapeXml(feature.name)}</code></td><td>${feature.kind}</td><td>${number(feature.importance)}</td><td>${share(feature.missingShareReference)} → ${share(feature.missingShare)}</td><td>${number(feature.psi)}${feature.psiNull99 === undefined ? '' : ` <span class="extra">(null 99% ${number(feature.psiNull99)})</span>`}</td><td>${feature.kind === 'numeric' ? share(feature.outOfRangeShare) : share(feature.unseenShare)}</td><td>${flags || 'ok'}</td><td class="reasons">${escapeXml((feature.reasons ?? []).join('; '))}</td></tr>`;
  });
  return `<table class="ranked"><thead><tr><th>#</th><th>feature</th><th>kind</th><th>importance</th><th>missing (baseline → window)</th><th>PSI</th><th>out of range / unseen</th><th>verdict</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function featureChart(
  data: ReportData,
  injected: InjectedProblem,
  feature: string,
  metric: 'feature/missing_share' | 'feature/psi',
): string {
  const { scenario, samples, summary } = data;
  const { market } = injected.problem;
  const points = samples
    .filter(
      (sample: MetricSample) =>
        sample.metric === metric &&
        sample.labels.segment === `market=${market}` &&
        sample.labels.feature === feature,
    )
    .sort((a, b) => a.timeMs - b.timeMs)
    .map((sample) => [sample.timeMs, sample.value] as [number, number]);
  const threshold =
    metric === 'feature/psi'
      ? {
          value: featureRules.drift.psi,
          color: 'YELLOW' as const,
          label: `drifting when PSI is above ${featureRules.drift.psi} and above its null 99% quantile`,
        }
      : {
          value: featureRules.quality.missingShareRise,
          color: 'RED' as const,
          label: `broken when the missing share rose by more than ${featureRules.quality.missingShareRise} beyond noise (the Newcombe interval's lower bound)`,
        };
  const svg = timeSeriesChart({
    title: `${metric} of ${feature} in ${market}`,
    startMs: scenario.startMs,
    endMs: scenario.endMs,
    stableEndMs: summary.stableEndMs,
    line: points,
    thresholds: [threshold],
    shades: featureAlerts(data, market).map((incident) => ({
      fromMs: incident.openedAtMs,
      toMs: incident.closedAtMs ?? scenario.endMs,
      severity: incident.severity,
      title: `${incident.alert} (${incident.severity}) from ${simTime(scenario, incident.openedAtMs)}`,
    })),
    injection: {
      atMs: injected.startMs,
      label: `${problemName(injected)} injected at ${simTime(scenario, injected.startMs)}`,
    },
  });
  return figure(`${feature}: ${metric.replace('feature/', '')}`, undefined, svg, points.length);
}

/** The ranked table and per-feature charts of each broken market, and what the stable markets' windows said. */
export function featureFigures(data: ReportData): string {
  const parts = featureProblems(data).map((injected) => {
    const { market } = injected.problem;
    const { window, alert } = pagedWindow(data, injected);
    const heading = alert
      ? `What on-call read in ${escapeXml(market)} when <code>${alert.alert}</code> paged at ${simTime(data.scenario, alert.openedAtMs)} (${delay(alert.openedAtMs - injected.startMs)} after the break)`
      : `The features of ${escapeXml(market)} (no feature alert fired)`;
    const table = window
      ? `<p class="note"><code>feature_drift</code> log line of the window ending ${simTime(data.scenario, window.simTimeMs)}: ${window.qualityBroken} feature${window.qualityBroken === 1 ? '' : 's'} with broken data quality, ${window.drifted} drifting; ranked broken and drifting first, then by importance-weighted PSI.</p>${rankedTable(window)}`
      : '<p class="note">no feature_drift log line of this market before the alert</p>';
    const charts = FEATURE_NAMES.flatMap((feature) => [
      featureChart(data, injected, feature, 'feature/missing_share'),
      featureChart(data, injected, feature, 'feature/psi'),
    ]);
    return `<div class="metric"><h3>${heading}</h3>${table}</div><div class="metric"><h3>Per feature in ${escapeXml(market)}: missing share and PSI <span class="extra">hourly FeatureBatches; shaded: the feature alerts</span></h3><div class="grid">${charts.join('')}</div></div>`;
  });
  const broken = new Set(featureProblems(data).map(({ problem }) => problem.market));
  const quiet = data.scenario.config.markets
    .filter((market) => !broken.has(market))
    .map((market) => {
      const windows = data.featureWindows.filter((window) => window.market === market);
      const flagged = windows.filter((window) => window.drifted > 0 || window.qualityBroken > 0).length;
      return `<li><b>${escapeXml(market)}</b>: ${windows.length} windows, ${flagged} with a drifting or broken feature; feature alerts: ${featureAlerts(data, market).length}</li>`;
    });
  return `${parts.join('')}${quiet.length > 0 ? `<div class="metric"><h3>The other markets' feature windows</h3><ul class="quietmarkets">${quiet.join('')}</ul></div>` : ''}`;
}
