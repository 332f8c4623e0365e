/**
 * A short scenario through the same code as `npm start` (runScenario: the local stack, Pub/Sub push into the
 * Functions Framework processes, the local MetricService, the alert evaluation, the report), then the report in a
 * real browser: headless Chromium from Debian through playwright-core (never a downloaded browser).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { alertCatalog, conditionMetrics, type Monitor } from '../../alerting/alerts.js';
import { evaluateAlerts } from '../../alerting/evaluation.js';
import { loadScenario, publishDelayMs, type ScenarioConfig } from '../../local/scenario/config.js';
import { evaluateScenario } from '../../local/scenario/evaluate.js';
import { FEATURE_NAMES } from '../../local/scenario/features.js';
import { inProcessMonitors } from '../../local/scenario/inProcess.js';
import { METRIC_CHARTS } from '../../local/scenario/render/page.js';
import { PROJECT_ID, type RunResult, runScenario } from '../../local/scenario/run.js';
import { catalog } from '../../shared/monitoring/catalog.js';
import { ONE_CADENCE_DRIFT } from '../support/timing.js';

const OUTPUT = path.resolve('test-output/scenario');
const CHROMIUM = '/usr/bin/chromium';

/**
 * Three days in three markets, a problem in each from day 2, outcomes a day late, smaller batches; published
 * late as by default (drift 20 min, daily batches 3 h) and readable 5 min after the write.
 */
const SHORT: ScenarioConfig = {
  ...loadScenario(),
  description: 'end-to-end test: 3 days, problems from day 2',
  days: 3,
  stableDays: 1,
  markets: ['de', 'br', 'us'],
  predictions: { perHour: [200, 600], encoding: 'binCounts' },
  outcomes: { attributionDelayDays: 1, perDay: 4000 },
  uplift: { ...loadScenario().uplift, unitsPerDay: 4000 },
  publishDelayMinutes: { drift: 20, calibration: 180, lift: 180, uplift: 180, features: 20 },
  ingestionDelayMinutes: 5,
  problems: [
    {
      kind: 'feature_pipeline_break',
      market: 'de',
      startDay: 2,
      rampHours: 0,
      nulls: { feature: 'artist_followers', share: 0.4 },
      imputedAs: 0,
      unseenCategory: { feature: 'device', category: 'car', share: 0.15 },
    },
    { kind: 'calibration_decay', market: 'br', startDay: 2, rampHours: 0, logitShift: -0.5 },
    { kind: 'lift_overprediction', market: 'us', startDay: 2, rampHours: 0, realizedShare: 0.5 },
  ],
};

let run: RunResult;
before(async () => {
  rmSync(OUTPUT, { recursive: true, force: true });
  run = await runScenario({
    config: SHORT,
    seed: 7,
    reportFile: path.join(OUTPUT, 'index.html'),
    summaryJsonFile: path.join(OUTPUT, 'summary.json'),
  });
});

describe('a short scenario end to end', () => {
  test('every message is processed and written, none refused or rejected', () => {
    const { counts, problems } = run.replay;
    assert.equal(
      counts.messages,
      run.scenario.events.length + 2,
      '+ the prediction and the feature baseline',
    );
    assert.equal(counts.written, run.scenario.events.length);
    assert.deepEqual([counts.rejected, counts.refused, problems.length], [0, 0, 0]);
  });

  test('each injected problem fires the alerts of its monitor in its market, and nothing fires before day 2', () => {
    const fired = (market: string) =>
      new Set(
        run.summary.incidents.filter((i) => i.labels.segment === `market=${market}`).map((i) => i.alert),
      );
    for (const name of [
      'feature_quality_critical',
      'feature_quality_warning',
      'feature_drift_warning',
      'drift_psi_warning',
      'drift_psi_critical',
      'drift_distribution_warning',
    ]) {
      assert.ok(fired('de').has(name), `${name} in de`);
    }
    for (const market of ['br', 'us']) {
      assert.ok(
        ![...fired(market)].some((name) => name.startsWith('feature_')),
        `no feature alert in ${market}`,
      );
    }
    for (const name of ['calibration_oe_warning', 'calibration_oe_critical'])
      assert.ok(fired('br').has(name), `${name} in br`);
    for (const name of ['lift_ratio_warning', 'lift_ratio_critical', 'lift_miss_rate_warning']) {
      assert.ok(fired('us').has(name), `${name} in us`);
    }
    const dayTwo = run.scenario.problems[0]!.startMs;
    assert.ok(run.summary.incidents.every((incident) => incident.pendingSinceMs >= dayTwo));
    assert.deepEqual(run.summary.stableAlarms, []);
    assert.deepEqual(run.summary.unexplained, []);
    assert.ok(run.summary.detections.every((detection) => detection.firstCritical));
  });

  test('the stack path records what the handlers compute in process: the same alerts, at the same times', async () => {
    const monitors = inProcessMonitors({
      projectId: PROJECT_ID,
      ingestionDelayMs: SHORT.ingestionDelayMinutes * 60_000,
    });
    await monitors.register(run.scenario);
    for (const event of run.scenario.events) {
      await monitors.handle(event.kind, event.message(new Date(event.simTimeMs)), event.publishSimMs);
    }
    assert.deepEqual(run.summary.incidents, evaluateScenario(run.scenario, monitors.samples()));
    const key = (s: { metric: string; labels: Readonly<Record<string, string>>; timeMs: number }) =>
      `${s.metric}${JSON.stringify(s.labels)}@${s.timeMs}`;
    const viaStack = new Map(run.samples.map((s) => [key(s), s.value]));
    const inProcess = monitors.samples();
    assert.equal(viaStack.size, inProcess.length);
    // Equal up to rounding: the functions serve build/, this process the sources (a stale build shows here).
    for (const sample of inProcess) {
      const written = viaStack.get(key(sample));
      assert.ok(
        written !== undefined &&
          Math.abs(written - sample.value) <= 1e-9 * Math.max(1, Math.abs(sample.value)),
        `${key(sample)}: ${written} via the stack, ${sample.value} in process (is build/ stale?)`,
      );
    }
  });

  test('each point is readable from its publication plus the ingestion delay, as the local Cloud Monitoring recorded its write', () => {
    const ingestionMs = SHORT.ingestionDelayMinutes * 60_000;
    const lags = new Map<string, Set<number>>();
    for (const sample of run.samples) {
      // The per-feature metrics (feature/*) are the features monitor's, as its per-window ones (features/*).
      const prefix = sample.metric.split('/')[0]!;
      const monitor = (prefix === 'feature' ? 'features' : prefix) as Monitor;
      const lag = sample.visibleAtMs! - sample.timeMs;
      lags.set(monitor, (lags.get(monitor) ?? new Set()).add(lag));
      // The MetricService's clock stands at the publication time while its messages are processed.
      assert.equal(lag, publishDelayMs(SHORT, monitor) + ingestionMs, `${sample.metric} at ${sample.timeMs}`);
    }
    assert.deepEqual([...lags.keys()].sort(), ['calibration', 'drift', 'features', 'lift', 'uplift']);
  });

  test('the same points read at their window end page where late ones do not, when the lookback is one cadence', () => {
    const drift = alertCatalog.alerts.filter((alert) => alert.monitor === 'drift');
    const range = { startMs: run.scenario.startMs, endMs: run.scenario.endMs + 6 * 3_600_000 };
    const late = evaluateAlerts(drift, run.samples, { ...range, timing: ONE_CADENCE_DRIFT });
    const atWindowEnd = run.samples.map(({ visibleAtMs: _, ...sample }) => sample);
    assert.deepEqual(late, [], 'points 25 min late leave a gap every hour: the drift never pages');
    assert.ok(evaluateAlerts(drift, atWindowEnd, { ...range, timing: ONE_CADENCE_DRIFT }).length > 0);
    // With the catalog's lookbacks the late points page the drift all the same.
    assert.ok(
      evaluateAlerts(drift, run.samples, range).some((incident) => incident.alert === 'drift_psi_critical'),
    );
  });

  test('the report charts every alert-bearing metric an alert reads', () => {
    const alertBearing = new Set(
      catalog.metrics.filter((entry) => entry.alertBearing).map((entry) => entry.name),
    );
    const charted = new Set(
      METRIC_CHARTS.flatMap((chart) => [
        chart.metric,
        ...(chart.band ?? []),
        ...(chart.companion ? [chart.companion] : []),
      ]),
    );
    for (const alert of alertCatalog.alerts) {
      for (const condition of alert.conditions) {
        for (const metric of conditionMetrics(condition).filter((name) => alertBearing.has(name))) {
          assert.ok(charted.has(metric), `${alert.name}: ${metric}`);
        }
      }
    }
  });

  test('the report renders in headless Chromium: no console errors, every chart drawn', async (t) => {
    if (!existsSync(CHROMIUM)) {
      t.skip(`no ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) to render the report`);
      return;
    }
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(path.join(os.tmpdir(), 'liftwatch-chromium-'));
    // A fresh profile (--user-data-dir) per run; headless: true adds --headless.
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${run.reportFile}`, { waitUntil: 'load' });
      const charts = await page.$$eval('svg', (svgs) =>
        svgs.map((svg) => ({
          label: svg.getAttribute('aria-label') ?? '',
          width: svg.getBoundingClientRect().width,
          marks: Array.from(svg.querySelectorAll('path, circle, rect.firing')).filter((mark) => {
            const d = mark.getAttribute('d');
            return mark.tagName !== 'path' || (d !== null && /L/.test(d));
          }).length,
        })),
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(
        requests.filter((url) => !url.startsWith('file:')),
        [],
        'the report loads nothing from the network',
      );
      const metricCharts = METRIC_CHARTS.length * SHORT.markets.length;
      const figures = 3 * SHORT.markets.length; // reliability, lift per campaign, Qini
      const perFeature = 2 * FEATURE_NAMES.length; // missing share and PSI of each feature in de
      assert.equal(charts.length, metricCharts + figures + perFeature + 2); // + the alert timeline and the drift close-up
      for (const chart of charts) {
        assert.ok(chart.width > 100, `${chart.label} has a size`);
        assert.ok(chart.marks > 0, `${chart.label} drew something`);
      }
      const body = (await page.textContent('body')) ?? '';
      assert.ok(body.includes('0 false alarms'));
      assert.match(
        body,
        /What on-call read in de when feature_quality_critical paged at day 2 01:\d\d/,
        'the ranked feature table of the window on-call read',
      );
      const ranked = await page.$$eval('table.ranked tbody tr', (rows) =>
        rows.map((row) => [row.children[1]?.textContent, row.classList.contains('flagged')]),
      );
      assert.deepEqual(
        ranked
          .slice(0, 2)
          .map(([name]) => name)
          .sort(),
        ['artist_followers', 'device'],
        'the broken features first',
      );
      assert.deepEqual(
        ranked.map(([, flagged]) => flagged),
        [true, true, false, false, false],
      );
      assert.ok(
        body.includes('drift points: 25 min late'),
        'the timeline shows when the points became visible',
      );
      assert.ok(body.includes('drift 20 min, calibration 3 h, lift 3 h, uplift 3 h'), 'the delays are named');
      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: path.join(OUTPUT, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
