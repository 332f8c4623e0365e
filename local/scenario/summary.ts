/**
 * What a run showed, judged against what was injected: which alert fired for which problem and how long after it
 * started (the detection delay), and every alert that no problem explains (a false alarm; in the stable days,
 * any alert at all is one).
 */
import { Monitor } from '../../alerting/alerts.js';
import type { Incident } from '../../alerting/evaluation.js';
import { ALERTS_OF_PROBLEM, REQUIRED_ALERTS_OF_PROBLEM } from './config.js';
import type { InjectedProblem, Scenario } from './generate.js';
import { DAY_MS, HOUR_MS } from './generate.js';

export interface Detection {
  problem: InjectedProblem;
  /** The first alert of the problem's kind (ALERTS_OF_PROBLEM) in its market after it started, and the first CRITICAL one. */
  first?: Incident;
  firstCritical?: Incident;
  /**
   * Detected, and within the problem's documented delay (maxDetectionHours) when it has one, by every group of
   * alerts it must fire (REQUIRED_ALERTS_OF_PROBLEM).
   */
  withinDelay: boolean;
  /** Each group of alerts the problem must fire, with its first alert. */
  required: { name: string; first?: Incident; withinDelay: boolean }[];
  alerts: Incident[];
}

export interface ScenarioSummary {
  incidents: Incident[];
  detections: Detection[];
  stableEndMs: number;
  /** Alerts opened in the stable days. */
  stableAlarms: Incident[];
  /** Alerts that no injected problem explains (the stable days' ones included). */
  unexplained: Incident[];
}

const marketOf = (incident: Incident) => incident.labels.segment.replace(/^market=/, '');

/** The problem's alerts (ALERTS_OF_PROBLEM, which name their monitors), in its market, once it started. */
function explains(injected: InjectedProblem, incident: Incident): boolean {
  return (
    marketOf(incident) === injected.problem.market &&
    ALERTS_OF_PROBLEM[injected.problem.kind].test(incident.alert) &&
    incident.openedAtMs >= injected.startMs
  );
}

export function summarize(scenario: Scenario, incidents: Incident[]): ScenarioSummary {
  const detections = scenario.problems.map((injected): Detection => {
    const alerts = incidents.filter((incident) => explains(injected, incident));
    const first = alerts[0];
    const firstCritical = alerts.find((incident) => incident.severity === 'CRITICAL');
    const bound = injected.problem.maxDetectionHours;
    const inTime = (incident: Incident | undefined) =>
      incident !== undefined &&
      (bound === undefined || incident.openedAtMs - injected.startMs <= bound * HOUR_MS);
    const required = REQUIRED_ALERTS_OF_PROBLEM[injected.problem.kind].map(({ name, alerts: pattern }) => {
      const firstOfGroup = alerts.find((incident) => pattern.test(incident.alert));
      return { name, withinDelay: inTime(firstOfGroup), ...(firstOfGroup ? { first: firstOfGroup } : {}) };
    });
    return {
      problem: injected,
      alerts,
      required,
      withinDelay: inTime(first) && required.every((group) => group.withinDelay),
      ...(first ? { first } : {}),
      ...(firstCritical ? { firstCritical } : {}),
    };
  });
  const stableEndMs = scenario.startMs + scenario.config.stableDays * DAY_MS;
  return {
    incidents,
    detections,
    stableEndMs,
    stableAlarms: incidents.filter((incident) => incident.openedAtMs < stableEndMs),
    unexplained: incidents.filter(
      (incident) => !scenario.problems.some((injected) => explains(injected, incident)),
    ),
  };
}

/** An incident still firing when the data stops is reported open, not closed by the end of the data. */
export function openAtEnd(incidents: Incident[], endMs: number): Incident[] {
  return incidents.map(({ closedAtMs, ...incident }) =>
    closedAtMs !== undefined && closedAtMs <= endMs ? { ...incident, closedAtMs } : incident,
  );
}

/** Simulated time for people: `day 8 04:30`. */
export function simTime(scenario: Pick<Scenario, 'startMs'>, timeMs: number): string {
  const minutes = Math.round((timeMs - scenario.startMs) / 60_000);
  const day = Math.floor(minutes / 1440) + 1;
  const clock = minutes - (day - 1) * 1440;
  return `day ${day} ${String(Math.floor(clock / 60)).padStart(2, '0')}:${String(clock % 60).padStart(2, '0')}`;
}

/** A delay for people: 4 h 30 min, 3 d 1 h. */
export function delay(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return (
    [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : '']
      .filter(Boolean)
      .join(' ') || '0 min'
  );
}

/** The delays a run published and read with, for people: `drift 20 min, calibration 3 h, ...`. */
export function publishingDelays(scenario: Pick<Scenario, 'config'>): string {
  const { publishDelayMinutes, ingestionDelayMinutes } = scenario.config;
  const each = Monitor.map((monitor) => `${monitor} ${delay(publishDelayMinutes[monitor] * 60_000)}`);
  const ingestion =
    ingestionDelayMinutes > 0
      ? `, then readable ${delay(ingestionDelayMinutes * 60_000)} after the write`
      : '';
  return `windows published after their window end by ${each.join(', ')}${ingestion}`;
}

export function problemName(injected: InjectedProblem): string {
  const words = injected.problem.kind.replaceAll('_', ' ');
  return `${words[0]!.toUpperCase()}${words.slice(1)} in ${injected.problem.market}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The terminal summary: the alerts that fired, the detection of each problem, the false alarms. */
export function formatSummary(scenario: Scenario, summary: ScenarioSummary): string {
  const cause = (incident: Incident) => {
    const detection = summary.detections.find((candidate) => candidate.alerts.includes(incident));
    return detection ? problemName(detection.problem) : 'FALSE ALARM';
  };
  const alerts = table(
    ['alert', 'severity', 'market', 'fired (simulated)', 'resolved', 'injected problem'],
    summary.incidents.map((incident) => [
      incident.alert,
      incident.severity,
      marketOf(incident),
      simTime(scenario, incident.openedAtMs),
      incident.closedAtMs === undefined ? 'still firing' : simTime(scenario, incident.closedAtMs),
      cause(incident),
    ]),
  );
  const detections = table(
    [
      'injected problem',
      'started',
      'first alert',
      'detection delay',
      'documented bound',
      'first CRITICAL',
      'delay',
    ],
    summary.detections.map(({ problem, first, firstCritical, withinDelay }) => [
      problemName(problem),
      simTime(scenario, problem.startMs),
      first ? `${first.alert} at ${simTime(scenario, first.openedAtMs)}` : 'NOT DETECTED',
      first ? delay(first.openedAtMs - problem.startMs) : '-',
      problem.problem.maxDetectionHours === undefined
        ? '-'
        : `${problem.problem.maxDetectionHours} h ${withinDelay ? '(met)' : '(MISSED)'}`,
      firstCritical ? simTime(scenario, firstCritical.openedAtMs) : '-',
      firstCritical ? delay(firstCritical.openedAtMs - problem.startMs) : '-',
    ]),
  );
  const stableDays = scenario.config.stableDays;
  const requirements = summary.detections
    .filter(({ required }) => required.length > 1)
    .map(
      ({ problem, required }) =>
        `${problemName(problem)} must page through ${required
          .map(
            ({ name, first, withinDelay }) =>
              `${name} (${first ? `${first.alert} at ${simTime(scenario, first.openedAtMs)}, after ${delay(first.openedAtMs - problem.startMs)}${withinDelay ? '' : ', MISSED the bound'}` : 'NOT DETECTED'})`,
          )
          .join(' and ')}`,
    );
  return [
    `Publication: ${publishingDelays(scenario)}; the alerts read a point only from when it was readable.`,
    '',
    `Alerts fired (${summary.incidents.length}):`,
    summary.incidents.length ? alerts : '(none)',
    '',
    detections,
    ...(requirements.length > 0 ? ['', ...requirements] : []),
    '',
    `False alarms in the stable days (day 1 to day ${stableDays}): ${summary.stableAlarms.length}` +
      `; alerts no injected problem explains: ${summary.unexplained.length}`,
  ].join('\n');
}

/** The summary as JSON (--summary-json), times in ISO simulated time and delays in hours. */
export function summaryJson(scenario: Scenario, summary: ScenarioSummary): unknown {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const hours = (ms: number) => Math.round((ms / HOUR_MS) * 100) / 100;
  const incident = (one: Incident) => ({
    alert: one.alert,
    severity: one.severity,
    monitor: one.monitor,
    labels: one.labels,
    pendingSince: iso(one.pendingSinceMs),
    openedAt: iso(one.openedAtMs),
    closedAt: iso(one.closedAtMs),
  });
  return {
    model: scenario.config.model,
    modelVersion: scenario.config.modelVersion,
    seed: scenario.seed,
    days: scenario.config.days,
    markets: scenario.config.markets,
    simulatedStart: iso(scenario.startMs),
    publishDelayMinutes: scenario.config.publishDelayMinutes,
    ingestionDelayMinutes: scenario.config.ingestionDelayMinutes,
    problems: summary.detections.map(({ problem, first, firstCritical, alerts, withinDelay, required }) => ({
      ...problem.problem,
      startedAt: iso(problem.startMs),
      detected: first !== undefined,
      withinDocumentedDelay: withinDelay,
      firstAlert: first
        ? { ...incident(first), delayHours: hours(first.openedAtMs - problem.startMs) }
        : null,
      firstCritical: firstCritical
        ? { ...incident(firstCritical), delayHours: hours(firstCritical.openedAtMs - problem.startMs) }
        : null,
      required: required.map(({ name, first: one, withinDelay: met }) => ({
        name,
        withinDocumentedDelay: met,
        firstAlert: one ? { ...incident(one), delayHours: hours(one.openedAtMs - problem.startMs) } : null,
      })),
      alerts: alerts.map((one) => one.alert),
    })),
    stableDays: scenario.config.stableDays,
    falseAlarmsInStableDays: summary.stableAlarms.map(incident),
    unexplainedAlerts: summary.unexplained.map(incident),
    incidents: summary.incidents.map(incident),
  };
}
