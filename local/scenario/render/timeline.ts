/**
 * The alert timeline: per market, when each monitor's points became visible (a lag band from the window end to
 * the visible time, a tick there), then one row per alert that fired, pending and firing time as bars; and a
 * close-up of the drift windows around the injected drift, with how long each stayed current.
 */
import { alertCatalog, currentSeconds, Monitor } from '../../../alerting/alerts.js';
import type { Incident, MetricSample } from '../../../alerting/evaluation.js';
import type { InjectedProblem, Scenario } from '../generate.js';
import { delay, problemName, simTime } from '../summary.js';
import { escapeXml, linearScale, type Scale } from './svg.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LABEL_WIDTH = 230;
const WIDTH = 1160;
const ROW = 18;
const VISIBILITY_ROW = 12;

export interface PublishedWindow {
  endMs: number;
  visibleAtMs: number;
}

/** A monitor's windows in a market, read off the metric whose absence pages: window end and visible time. */
export function windowsOf(
  samples: readonly MetricSample[],
  monitor: Monitor,
  market: string,
): PublishedWindow[] {
  const metric = alertCatalog.timing.monitors[monitor].absenceMetric;
  return samples
    .filter((sample) => sample.metric === metric && sample.labels.segment === `market=${market}`)
    .map((sample) => ({ endMs: sample.timeMs, visibleAtMs: sample.visibleAtMs ?? sample.timeMs }))
    .sort((a, b) => a.endMs - b.endMs);
}

/** `20 min late`, or the range of the lags when they differ. */
function lateness(windows: readonly PublishedWindow[]): string {
  const lags = windows.map((window) => window.visibleAtMs - window.endMs);
  const [low, high] = [Math.min(...lags), Math.max(...lags)];
  if (high === 0) return 'visible at window end';
  return low === high ? `${delay(low)} late` : `${delay(low)} to ${delay(high)} late`;
}

/** One window: a band from its end to when it became visible, and a tick at that time. */
function visibilityMark(
  scenario: Scenario,
  x: Scale,
  y: number,
  height: number,
  label: string,
  window: PublishedWindow,
) {
  const from = x(window.endMs);
  const to = x(window.visibleAtMs);
  const title = `${label} window ending ${simTime(scenario, window.endMs)}: visible ${simTime(scenario, window.visibleAtMs)} (${delay(window.visibleAtMs - window.endMs)} after its end)`;
  return (
    `<rect class="lag" x="${from.toFixed(1)}" y="${y}" width="${Math.max(0.8, to - from).toFixed(1)}" height="${height}"><title>${escapeXml(title)}</title></rect>` +
    `<line class="visible" x1="${to.toFixed(1)}" x2="${to.toFixed(1)}" y1="${y - 1}" y2="${y + height + 1}"/>`
  );
}

/** Drawn up to `untilMs`, past the last window, where the last batches' alerts can still open. */
export function alertTimeline(
  scenario: Scenario,
  incidents: Incident[],
  samples: readonly MetricSample[],
  stableEndMs: number,
  untilMs: number,
): string {
  const x = linearScale([scenario.startMs, untilMs], [LABEL_WIDTH, WIDTH - 10]);
  const rows: string[] = [];
  let y = 22;
  const rowText = (text: string, cls: string) =>
    `<text class="${cls}" x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXml(text)}</text>`;
  for (const market of scenario.config.markets) {
    const ofMarket = incidents.filter((incident) => incident.labels.segment === `market=${market}`);
    const injected = scenario.problems.filter((p) => p.problem.market === market);
    const groupTop = y;
    rows.push(`<line class="group" x1="0" x2="${WIDTH}" y1="${y}" y2="${y}"/>`);
    rows.push(
      rowText(
        `${market}${injected.length ? ` · ${injected.map((p) => p.problem.kind.replaceAll('_', ' ')).join(', ')}` : ' · no problem injected'}`,
        'market',
      ),
    );
    y += ROW;
    for (const monitor of Monitor) {
      const windows = windowsOf(samples, monitor, market);
      if (windows.length === 0) continue;
      rows.push(
        `<text class="visibility" x="${LABEL_WIDTH - 8}" y="${y + 9}" text-anchor="end">${escapeXml(`${monitor} points: ${lateness(windows)}`)}</text>`,
        ...windows.map((window) => visibilityMark(scenario, x, y + 2, VISIBILITY_ROW - 4, monitor, window)),
      );
      y += VISIBILITY_ROW;
    }
    const names = [...new Set(ofMarket.map((incident) => incident.alert))];
    if (names.length === 0) {
      rows.push(rowText('no alert', 'quiet'));
      y += ROW;
    }
    for (const name of names) {
      rows.push(rowText(name, 'alertname'));
      for (const incident of ofMarket.filter((candidate) => candidate.alert === name)) {
        const end = incident.closedAtMs ?? untilMs;
        const severity = incident.severity.toLowerCase();
        const title = `${incident.alert} (${incident.severity}) in ${market}: pending ${simTime(scenario, incident.pendingSinceMs)}, fired ${simTime(scenario, incident.openedAtMs)}, ${incident.closedAtMs === undefined ? 'still firing at the end' : `resolved ${simTime(scenario, incident.closedAtMs)}`}`;
        rows.push(
          `<rect class="pending ${severity}" x="${x(incident.pendingSinceMs).toFixed(1)}" y="${y + 3}" width="${Math.max(1, x(incident.openedAtMs) - x(incident.pendingSinceMs)).toFixed(1)}" height="${ROW - 6}"><title>${escapeXml(title)}</title></rect>`,
          `<rect class="firing ${severity}" x="${x(incident.openedAtMs).toFixed(1)}" y="${y + 3}" width="${Math.max(2, x(end) - x(incident.openedAtMs)).toFixed(1)}" height="${ROW - 6}"><title>${escapeXml(title)}</title></rect>`,
        );
      }
      y += ROW;
    }
    for (const injectedProblem of injected) {
      const ix = x(injectedProblem.startMs).toFixed(1);
      rows.push(
        `<line class="injection" x1="${ix}" x2="${ix}" y1="${groupTop}" y2="${y}"><title>${escapeXml(`${problemName(injectedProblem)} injected at ${simTime(scenario, injectedProblem.startMs)}`)}</title></line>`,
      );
    }
  }
  const height = y + 8;
  const days = scenario.config.days;
  const every = days > 20 ? 7 : 1;
  const ticks = Array.from({ length: days + 1 }, (_, day) => day)
    .filter((day) => day % every === 0)
    .map((day) => {
      const tx = x(scenario.startMs + day * DAY_MS).toFixed(1);
      return `<line class="daygrid" x1="${tx}" x2="${tx}" y1="16" y2="${height - 8}"/>${day < days ? `<text class="tick" x="${(x(scenario.startMs + (day + 0.5) * DAY_MS)).toFixed(1)}" y="12" text-anchor="middle">day ${day + 1}</text>` : ''}`;
    })
    .join('');
  const endLine = `<line class="dataend" x1="${x(scenario.endMs).toFixed(1)}" x2="${x(scenario.endMs).toFixed(1)}" y1="16" y2="${height - 8}"><title>end of the simulated data; alerts are evaluated ${Math.round((untilMs - scenario.endMs) / 60_000)} min further</title></line>`;
  const stable = `<rect class="stable" x="${LABEL_WIDTH}" y="16" width="${(x(stableEndMs) - LABEL_WIDTH).toFixed(1)}" height="${height - 24}"><title>stable days: nothing should fire</title></rect>`;
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Alert timeline"><title>Alert timeline</title>${stable}${ticks}${endLine}${rows.join('')}</svg>`;
}

const DETAIL_BEFORE_MS = 2 * HOUR_MS;
const DETAIL_AFTER_MS = 10 * HOUR_MS;

/**
 * The drift windows of the drifting market around the injection: per window its end (a dot), the lag to its
 * visible time, and the span it stays current after that (until window end + lookback), then the market's drift
 * alerts: consecutive spans overlap when the lookback covers the delay, and leave gaps when it does not.
 */
export function visibilityDetail(
  scenario: Scenario,
  injected: InjectedProblem,
  samples: readonly MetricSample[],
  incidents: readonly Incident[],
): string {
  const { market } = injected.problem;
  const fromMs = injected.startMs - DETAIL_BEFORE_MS;
  const toMs = injected.startMs + DETAIL_AFTER_MS;
  const lookbackMs = currentSeconds(alertCatalog.timing, 'drift') * 1000;
  const windows = windowsOf(samples, 'drift', market).filter(
    (window) => window.endMs >= fromMs && window.endMs <= toMs,
  );
  const x = linearScale([fromMs, toMs], [LABEL_WIDTH, WIDTH - 10]);
  const clip = (t: number) => x(Math.min(toMs, Math.max(fromMs, t)));
  const rows: string[] = [];
  let y = 22;
  for (const window of windows) {
    const end = x(window.endMs);
    const visible = clip(window.visibleAtMs);
    const stale = clip(window.endMs + lookbackMs);
    rows.push(
      `<text class="alertname" x="${LABEL_WIDTH - 8}" y="${y + 11}" text-anchor="end">window ending ${escapeXml(simTime(scenario, window.endMs))}</text>`,
      `<rect class="current" x="${visible.toFixed(1)}" y="${y + 4}" width="${Math.max(0, stale - visible).toFixed(1)}" height="${ROW - 8}"><title>${escapeXml(`current (read by last_over_time) from ${simTime(scenario, window.visibleAtMs)} until ${simTime(scenario, window.endMs + lookbackMs)}: window end + lookback ${delay(lookbackMs)}`)}</title></rect>`,
      visibilityMark(scenario, x, y + 4, ROW - 8, 'drift', window),
      window.endMs >= fromMs
        ? `<circle class="windowend" cx="${end.toFixed(1)}" cy="${y + ROW / 2}" r="3"/>`
        : '',
    );
    y += ROW;
  }
  const ofMarket = incidents.filter(
    (incident) => incident.monitor === 'drift' && incident.labels.segment === `market=${market}`,
  );
  for (const name of [...new Set(ofMarket.map((incident) => incident.alert))]) {
    rows.push(
      `<text class="alertname" x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXml(name)}</text>`,
    );
    for (const incident of ofMarket.filter((candidate) => candidate.alert === name)) {
      const severity = incident.severity.toLowerCase();
      const pending = clip(incident.pendingSinceMs);
      const opened = clip(incident.openedAtMs);
      const title = `${incident.alert}: pending ${simTime(scenario, incident.pendingSinceMs)}, fired ${simTime(scenario, incident.openedAtMs)}`;
      rows.push(
        `<rect class="pending ${severity}" x="${pending.toFixed(1)}" y="${y + 3}" width="${Math.max(0, opened - pending).toFixed(1)}" height="${ROW - 6}"><title>${escapeXml(title)}</title></rect>`,
        `<rect class="firing ${severity}" x="${opened.toFixed(1)}" y="${y + 3}" width="${Math.max(0, clip(incident.closedAtMs ?? toMs) - opened).toFixed(1)}" height="${ROW - 6}"><title>${escapeXml(title)}</title></rect>`,
      );
    }
    y += ROW;
  }
  const height = y + 8;
  const ticks: string[] = [];
  for (let t = Math.ceil(fromMs / HOUR_MS) * HOUR_MS; t <= toMs; t += HOUR_MS) {
    const tx = x(t).toFixed(1);
    ticks.push(
      `<line class="daygrid" x1="${tx}" x2="${tx}" y1="16" y2="${height - 8}"/><text class="tick" x="${tx}" y="12" text-anchor="middle">${escapeXml(simTime(scenario, t).replace(/^day \d+ /, ''))}</text>`,
    );
  }
  const ix = x(injected.startMs).toFixed(1);
  const injection = `<line class="injection" x1="${ix}" x2="${ix}" y1="16" y2="${height - 8}"><title>${escapeXml(`${problemName(injected)} injected at ${simTime(scenario, injected.startMs)}`)}</title></line>`;
  const label = `Drift windows in ${market} around the injected drift: visibility and lookback`;
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(label)}"><title>${escapeXml(label)}</title>${ticks.join('')}${injection}${rows.join('')}</svg>`;
}
