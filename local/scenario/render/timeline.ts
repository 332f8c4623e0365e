/** The alert timeline: per market, one row per alert that fired, pending and firing time as bars. */
import type { Incident } from '../../../alerting/evaluation.js';
import type { Scenario } from '../generate.js';
import { problemName, simTime } from '../summary.js';
import { escapeXml, linearScale } from './svg.js';

const DAY_MS = 86_400_000;
const LABEL_WIDTH = 230;
const WIDTH = 1160;
const ROW = 18;

/** Drawn up to `untilMs`, past the last window, where the last batches' alerts can still open. */
export function alertTimeline(
  scenario: Scenario,
  incidents: Incident[],
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
        `${market}${injected.length ? ` · ${injected.map((p) => p.problem.kind.replace('_', ' ')).join(', ')}` : ' · no problem injected'}`,
        'market',
      ),
    );
    y += ROW;
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
