/**
 * Alert quality: the alerts of alerts.json, evaluated as Terraform's policies evaluate them, over many windows
 * computed by the monitors' own handlers (in process, simulated clock) on simulated data, each window handled
 * (so visible) at its publication time: the default scenario's 20 min late drift windows and 3 h late batches.
 *
 * - No drift, perfect calibration, accurate lift for 130 days in four markets (12,480 hourly drift windows,
 *   512 outcome batches, 520 campaign batches, 520 uplift batches): the false page rate of every monitor must
 *   stay under 1% of its windows (target; the number is printed).
 * - The default scenario's injected changes, over several seeds, must each page within the documented delay
 *   (first affected window end + publish delay + duration + one evaluation interval):
 *     prediction drift, logits +0.6 (0.75 baseline SD, PSI ~0.55) growing over 6 h: within 8 h;
 *     calibration decay, true logits -0.5 (O/E ~0.68), outcomes 2 days late: within 76.25 h (2 days of
 *       attribution, one day of outcomes, 3 h of publish delay, the alert's hour, a 15 min evaluation interval);
 *     lift over-prediction, half the predicted lift realized: within 28.25 h (one day of results, 3 h of publish
 *       delay, the alert's hour, a 15 min evaluation interval).
 * - An uplift ranking turned upside down (highest scores realize least) must page within 28.25 h in each of five
 *   seeds (the uplift alerts need the whole Qini interval at or below 0); for a ranking that is merely random the
 *   share of affected days that page is printed: about 2.5% of windows have an interval wholly at or below 0.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Incident } from '../../alerting/evaluation.js';
import { loadScenario } from '../../local/scenario/config.js';
import { evaluateScenario } from '../../local/scenario/evaluate.js';
import { buildScenario, HOUR_MS, type MessageKind, type Scenario } from '../../local/scenario/generate.js';
import { inProcessMonitors } from '../../local/scenario/inProcess.js';
import { delay, problemName, summarize } from '../../local/scenario/summary.js';

const defaults = loadScenario();

async function simulate(
  scenario: Scenario,
): Promise<{ incidents: Incident[]; windows: Record<MessageKind, number> }> {
  const monitors = inProcessMonitors();
  await monitors.register(scenario.baseline);
  const windows: Record<MessageKind, number> = { predictions: 0, outcomes: 0, campaigns: 0, uplift: 0 };
  for (const event of scenario.events) {
    const lines = await monitors.handle(
      event.kind,
      event.message(new Date(event.simTimeMs)),
      event.publishSimMs,
    );
    const written = lines.find((line) => line.event === 'points_written');
    assert.ok(written && !written.withheld, `${event.kind} ${event.market}: statistics written`);
    windows[event.kind]++;
  }
  return { incidents: evaluateScenario(scenario, monitors.samples()), windows };
}

const MONITOR_OF_KIND = {
  predictions: 'drift',
  outcomes: 'calibration',
  campaigns: 'lift',
  uplift: 'uplift',
} as const;
const TARGET_FALSE_PAGE_RATE = 0.01;

describe('alert quality', () => {
  test('no drift, perfect calibration and accurate lift page on under 1% of windows', async () => {
    const scenario = buildScenario({ ...defaults, days: 130, stableDays: 130, problems: [] }, 2026);
    const { incidents, windows } = await simulate(scenario);
    const rows = (Object.keys(windows) as MessageKind[]).map((kind) => {
      const pages = incidents.filter((incident) => incident.monitor === MONITOR_OF_KIND[kind]).length;
      return { monitor: MONITOR_OF_KIND[kind], windows: windows[kind], pages, rate: pages / windows[kind] };
    });
    console.log(
      [
        'false pages without any problem (130 days, 4 markets):',
        ...rows.map(
          (row) =>
            `  ${row.monitor.padEnd(12)} ${row.pages} pages in ${row.windows} windows = ${(100 * row.rate).toFixed(2)}% (target < 1%; 95% upper bound ${(100 * upperBound(row.pages, row.windows)).toFixed(2)}%)`,
        ),
      ].join('\n'),
    );
    for (const row of rows) {
      assert.ok(row.windows >= 500, `${row.monitor}: at least 500 windows`);
      assert.ok(
        row.rate < TARGET_FALSE_PAGE_RATE,
        `${row.monitor}: ${row.pages} pages in ${row.windows} windows`,
      );
    }
  });

  test('each injected problem pages within its documented delay, and nothing else pages, over five seeds', async () => {
    const lines: string[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const scenario = buildScenario(defaults, seed);
      const summary = summarize(scenario, (await simulate(scenario)).incidents);
      for (const { problem, first } of summary.detections) {
        assert.ok(first, `seed ${seed}: ${problemName(problem)} was not detected`);
        const hours = (first.openedAtMs - problem.startMs) / HOUR_MS;
        lines.push(
          `  seed ${seed} ${problemName(problem).padEnd(26)} ${first.alert.padEnd(27)} after ${delay(first.openedAtMs - problem.startMs)}`,
        );
        assert.ok(problem.problem.maxDetectionHours, `${problemName(problem)} documents its detection delay`);
        assert.ok(
          hours <= problem.problem.maxDetectionHours,
          `seed ${seed}: ${problemName(problem)} after ${hours} h`,
        );
      }
      assert.deepEqual(summary.unexplained, [], `seed ${seed}: alerts no problem explains`);
    }
    console.log(['detection delays of the default scenario:', ...lines].join('\n'));
  });

  test('an inverted uplift ranking pages within 28.25 h over five seeds; a random one is printed', async () => {
    const lines: string[] = [];
    for (const ranking of ['inverted', 'random'] as const) {
      let opened = 0;
      for (const seed of [1, 2, 3, 4, 5]) {
        const problem = {
          kind: 'uplift_ranking_loss',
          market: 'se',
          startDay: 8,
          rampHours: 0,
          ranking,
          maxDetectionHours: 28.25,
        } as const;
        const scenario = buildScenario({ ...defaults, problems: [problem] }, seed);
        const { incidents } = await simulate(scenario);
        const summary = summarize(scenario, incidents);
        assert.deepEqual(summary.unexplained, [], `seed ${seed} ${ranking}: alerts no problem explains`);
        opened += incidents.filter((incident) => incident.monitor === 'uplift').length;
        const first = summary.detections[0]?.first;
        const hours = first
          ? (first.openedAtMs - summary.detections[0]!.problem.startMs) / HOUR_MS
          : undefined;
        lines.push(
          `  seed ${seed} ${ranking.padEnd(8)} first page ${hours === undefined ? 'none' : `after ${hours} h`}`,
        );
        if (ranking === 'inverted') {
          assert.ok(
            hours !== undefined && hours <= problem.maxDetectionHours,
            `seed ${seed}: after ${hours} h`,
          );
        }
      }
      lines.push(
        `  ${ranking}: ${opened} uplift incidents opened over 5 seeds x ${defaults.days - 7} affected days`,
      );
    }
    console.log(['uplift ranking loss in se from day 8:', ...lines].join('\n'));
  });
});

/** One-sided 95% upper confidence bound of a binomial rate (exact for 0 events: 1 - 0.05^(1/n)). */
function upperBound(events: number, trials: number): number {
  let low = events / trials;
  let high = 1;
  // Clopper-Pearson by bisection on the binomial tail P(X <= events | p) = 0.05.
  for (let i = 0; i < 60; i++) {
    const p = (low + high) / 2;
    let term = (1 - p) ** trials;
    let tail = term;
    for (let k = 1; k <= events; k++) {
      term *= ((trials - k + 1) / k) * (p / (1 - p));
      tail += term;
    }
    if (tail > 0.05) low = p;
    else high = p;
  }
  return high;
}
