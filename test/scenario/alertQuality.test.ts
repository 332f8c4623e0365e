/**
 * Alert quality: the alerts of alerts.json, evaluated from the plan Terraform's policies are rendered from, over many windows
 * computed by the monitors' own handlers (in process, simulated clock) on simulated data, each window handled
 * (so visible) at its publication time: the default scenario's 20 min late drift windows and 3 h late batches.
 *
 * - No drift, intact features, perfect calibration, accurate lift for 130 days in four markets (12,480 hourly
 *   drift windows and as many feature windows, 512 outcome batches, 520 campaign batches, 520 uplift batches):
 *   the false page rate of every monitor must stay under 1% of its windows (target; the number is printed).
 * - The default scenario's injected changes, over several seeds, must each page within the documented delay
 *   (first affected window end + publish delay + duration + one evaluation interval):
 *     a feature pipeline break (artist_followers null in 40% of rows, fed to the model as 0; device `car`, a
 *       category it never saw, in 15%): through the feature alerts (feature_quality_critical on the first broken
 *       window) and through the prediction drift it causes, each within 3.25 h (the first window's end 1 h, its
 *       20 min publish delay, the drift warning's 1 h 45 min, a 5 min evaluation interval); the calibration
 *       alerts its badly scored outcomes fire days later are its doing too, nothing else;
 *     calibration decay, true logits -0.5 (O/E ~0.68), outcomes 2 days late: within 76.25 h (2 days of
 *       attribution, one day of outcomes, 3 h of publish delay, the alert's hour, a 15 min evaluation interval);
 *     lift over-prediction, half the predicted lift realized: within 28.25 h (one day of results, 3 h of publish
 *       delay, the alert's hour, a 15 min evaluation interval);
 *     broken holdouts, 8 of 24 campaigns a day losing 8% of their control units (non-converters): the SRM
 *       critical within 28.25 h, and no lift alert of that market (its campaigns are excluded).
 * - Sample ratio mismatch: every campaign declares its planned treatment share and is randomized binomially,
 *   so the false page rate of the SRM alerts is measured on correct holdouts (printed; target under 1%); and
 *   one large campaign a day (1M treatment units) whose holdout loses 2% of its units pages the SRM warning
 *   within 57.5 h (one day of results, 3 h of publish delay, the warning's 30 h 15 min, 15 min).
 * - Campaigns of 100,000 treated units whose true lift misses the prediction by a model error of 0.3
 *   conversion-rate points (standard deviation) are significant misses in far more than a quarter of the
 *   campaigns, yet do not page lift_miss_rate_warning: its mean-absolute-miss floor (0.5 points) holds it back.
 *   A 2-point error pages.
 * - An uplift ranking turned upside down (highest scores realize least) must page within 28.25 h in each of five
 *   seeds (the uplift alerts need the whole Qini interval at or below 0); for a ranking that is merely random the
 *   share of affected days that page is printed: about 2.5% of windows have an interval wholly at or below 0.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alertCatalog, conditionMetrics } from '../../alerting/alerts.js';
import { evaluateAlerts, type Incident, type MetricSample } from '../../alerting/evaluation.js';
import { loadScenario } from '../../local/scenario/config.js';
import { evaluateScenario, evaluationEnd } from '../../local/scenario/evaluate.js';
import {
  buildScenario,
  HOUR_MS,
  type MessageKind,
  MONITOR_OF_KIND,
  type Scenario,
} from '../../local/scenario/generate.js';
import { inProcessMonitors } from '../../local/scenario/inProcess.js';
import { delay, problemName, summarize } from '../../local/scenario/summary.js';

const defaults = loadScenario();

async function simulate(
  scenario: Scenario,
): Promise<{ incidents: Incident[]; windows: Record<MessageKind, number>; samples: MetricSample[] }> {
  const monitors = inProcessMonitors();
  await monitors.register(scenario);
  const windows: Record<MessageKind, number> = {
    predictions: 0,
    features: 0,
    outcomes: 0,
    campaigns: 0,
    uplift: 0,
  };
  for (const event of scenario.events) {
    const lines = await monitors.handle(
      event.kind,
      event.message(new Date(event.simTimeMs)),
      event.publishSimMs,
    );
    const written = lines.find((line) => line.event === 'points_written');
    // featureMonitor names its withheld features (none here); the other monitors say whether they withheld.
    const withheld = Array.isArray(written?.withheld) ? written.withheld.length > 0 : written?.withheld;
    assert.ok(written && !withheld, `${event.kind} ${event.market}: statistics written`);
    // Written through the local MetricService's rules at the simulated now: nothing refused or out of order.
    assert.equal(written.superseded, 0, `${event.kind} ${event.market}: no point already held`);
    windows[event.kind]++;
  }
  const samples = monitors.samples();
  return { incidents: evaluateScenario(scenario, samples), windows, samples };
}

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
    const srmPages = incidents.filter((incident) => incident.alert.startsWith('lift_srm_')).length;
    console.log(
      `  of which sample ratio mismatch (lift_srm_*): ${srmPages} pages in ${windows.campaigns} windows = ${((100 * srmPages) / windows.campaigns).toFixed(2)}% (95% upper bound ${(100 * upperBound(srmPages, windows.campaigns)).toFixed(2)}%)`,
    );
    assert.ok(srmPages / windows.campaigns < TARGET_FALSE_PAGE_RATE, `${srmPages} SRM pages`);
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
      for (const { problem, first, required } of summary.detections) {
        assert.ok(first, `seed ${seed}: ${problemName(problem)} was not detected`);
        assert.ok(problem.problem.maxDetectionHours, `${problemName(problem)} documents its detection delay`);
        // Every group of alerts the problem must fire (a pipeline break: the feature alerts and the drift).
        for (const group of required) {
          assert.ok(group.first, `seed ${seed}: ${problemName(problem)} did not page through ${group.name}`);
          const hours = (group.first.openedAtMs - problem.startMs) / HOUR_MS;
          lines.push(
            `  seed ${seed} ${problemName(problem).padEnd(28)} ${group.first.alert.padEnd(27)} after ${delay(group.first.openedAtMs - problem.startMs)}`,
          );
          assert.ok(
            hours <= problem.problem.maxDetectionHours,
            `seed ${seed}: ${problemName(problem)} through ${group.name} after ${hours} h`,
          );
        }
      }
      assert.deepEqual(summary.unexplained, [], `seed ${seed}: alerts no problem explains`);
    }
    console.log(['detection delays of the default scenario:', ...lines].join('\n'));
  });

  test("binned drift windows write the raw windows' PSI and JS, bound KS and Wasserstein towards no drift, and page as raw ones do, never earlier", async () => {
    const lines: string[] = [];
    const binnedConfig = {
      ...defaults,
      predictions: { ...defaults.predictions, encoding: 'binCounts' as const },
    };
    for (const seed of [1, 2]) {
      const raw = buildScenario(defaults, seed);
      const binned = buildScenario(binnedConfig, seed);
      assert.ok(
        binned.events.some(
          (event) => event.kind === 'predictions' && 'binCounts' in event.message(new Date(event.simTimeMs)),
        ),
        'the binned scenario publishes binCounts windows',
      );
      const rawRun = await simulate(raw);
      const binnedRun = await simulate(binned);
      const byKey = (samples: MetricSample[]) =>
        new Map(
          samples
            .filter((sample) => sample.metric.startsWith('drift/'))
            .map((sample) => [`${sample.metric}|${sample.labels.segment}|${sample.timeMs}`, sample.value]),
        );
      const rawValues = byKey(rawRun.samples);
      const binnedValues = byKey(binnedRun.samples);
      assert.deepEqual(
        [...binnedValues.keys()].sort(),
        [...rawValues.keys()].sort(),
        'the same drift series and windows',
      );
      let exact = 0;
      for (const [key, value] of binnedValues) {
        const metric = key.split('|')[0]!;
        const rawValue = rawValues.get(key)!;
        if (['drift/ks_statistic', 'drift/wasserstein', 'drift/wasserstein_normed'].includes(metric)) {
          assert.ok(value <= rawValue + 1e-12, `${key}: binned ${value} is a lower bound of ${rawValue}`);
        } else if (metric === 'drift/ks_p_value') {
          assert.ok(value >= rawValue - 1e-12, `${key}: binned p ${value} is at least ${rawValue}`);
        } else {
          assert.ok(
            Math.abs(value - rawValue) <= 1e-12 * Math.max(1, Math.abs(rawValue)),
            `${key}: binned ${value}, raw ${rawValue}`,
          );
          exact++;
        }
      }
      const summary = summarize(binned, binnedRun.incidents);
      assert.deepEqual(summary.unexplained, [], `seed ${seed}: binned alerts no problem explains`);
      for (const detection of summary.detections) {
        assert.ok(
          detection.withinDelay,
          `seed ${seed}: ${problemName(detection.problem)} within its delay, binned`,
        );
      }
      const drift = (incidents: Incident[]) => incidents.filter((incident) => incident.monitor === 'drift');
      for (const incident of drift(binnedRun.incidents)) {
        const rawFirst = drift(rawRun.incidents).find(
          (candidate) =>
            candidate.alert === incident.alert && candidate.labels.segment === incident.labels.segment,
        );
        assert.ok(
          rawFirst && rawFirst.openedAtMs <= incident.openedAtMs,
          `seed ${seed}: binned ${incident.alert} in ${incident.labels.segment} pages no earlier than raw`,
        );
      }
      lines.push(
        `  seed ${seed}: ${binnedValues.size} binned drift points (${exact} exact), drift pages raw ${drift(rawRun.incidents).length} / binned ${drift(binnedRun.incidents).length}; ${summary.detections.map((d) => `${problemName(d.problem)} after ${d.first ? delay(d.first.openedAtMs - d.problem.startMs) : 'never'}`).join(', ')}`,
      );
    }
    console.log(['binned drift windows against raw ones:', ...lines].join('\n'));
  });

  test("counted feature windows write the raw windows' feature points (the KS p-value at or above) and page exactly as raw ones", async () => {
    const countedConfig = { ...defaults, featureWindows: { encoding: 'counts' as const } };
    const raw = buildScenario(defaults, 1);
    const counted = buildScenario(countedConfig, 1);
    const featureEvent = counted.events.find((event) => event.kind === 'features')!;
    const columns = featureEvent.message(new Date(featureEvent.simTimeMs)).features as Record<string, object>;
    assert.ok(
      Object.values(columns).every((column) => 'binCounts' in column || 'counts' in column),
      'the counted scenario publishes every feature column as counts',
    );
    const rawRun = await simulate(raw);
    const countedRun = await simulate(counted);
    const byKey = (samples: MetricSample[]) =>
      new Map(
        samples
          .filter((sample) => sample.metric.startsWith('feature'))
          .map((sample) => [
            `${sample.metric}|${sample.labels.segment}|${sample.labels.feature ?? ''}|${sample.timeMs}`,
            sample.value,
          ]),
      );
    const rawValues = byKey(rawRun.samples);
    const countedValues = byKey(countedRun.samples);
    assert.deepEqual(
      [...countedValues.keys()].sort(),
      [...rawValues.keys()].sort(),
      'the same feature series',
    );
    let exact = 0;
    let bounded = 0;
    for (const [key, value] of countedValues) {
      const rawValue = rawValues.get(key)!;
      if (key.startsWith('feature/ks_p_value|')) {
        bounded++;
        assert.ok(value >= rawValue - 1e-12, `${key}: counted p ${value} is at least ${rawValue}`);
      } else {
        exact++;
        assert.ok(
          Math.abs(value - rawValue) <= 1e-12 * Math.max(1, Math.abs(rawValue)),
          `${key}: counted ${value}, raw ${rawValue}`,
        );
      }
    }
    const features = (incidents: Incident[]) =>
      incidents
        .filter((incident) => incident.alert.startsWith('feature'))
        .map((incident) => `${incident.alert}|${incident.labels.segment}|${incident.openedAtMs}`)
        .sort();
    assert.ok(features(rawRun.incidents).length > 0, 'the pipeline break pages through the feature alerts');
    assert.deepEqual(
      features(countedRun.incidents),
      features(rawRun.incidents),
      'the same feature pages, at the same times',
    );
    console.log(
      `counted feature windows: ${countedValues.size} feature points (${exact} exact, ${bounded} KS p-values at or above raw), feature pages raw ${features(rawRun.incidents).length} / counted ${features(countedRun.incidents).length}`,
    );
  });

  test('a 0.3-point model error on 100,000-unit campaigns is significant but below the floor; a 2-point one pages', async () => {
    const missRate = alertCatalog.alerts.find((alert) => alert.name === 'lift_miss_rate_warning')!;
    const withoutFloor = {
      ...missRate,
      conditions: missRate.conditions.filter(
        (condition) => !conditionMetrics(condition).includes('lift/mean_absolute_miss'),
      ),
    };
    assert.equal(withoutFloor.conditions.length, missRate.conditions.length - 1, 'the alert has the floor');
    const markets = ['se', 'de'];
    const lines: string[] = [];
    const run = async (modelError: number) => {
      // Each campaign's true lift is its prediction plus Normal(0, modelError); only campaign results are needed.
      const config = {
        ...defaults,
        days: 10,
        stableDays: 10,
        markets,
        problems: [],
        campaigns: { ...defaults.campaigns, treatmentUnits: [100_000, 100_000], trueLiftNoise: modelError },
      } satisfies typeof defaults;
      const full = buildScenario(config, 12);
      const scenario = { ...full, events: full.events.filter((event) => event.kind === 'campaigns') };
      const { incidents, samples } = await simulate(scenario);
      const values = (metric: string) => samples.filter((s) => s.metric === metric).map((s) => s.value);
      const rates = values('lift/significant_miss_rate');
      const misses = values('lift/mean_absolute_miss');
      assert.equal(rates.length, config.days * markets.length);
      const paged = (alerts: Incident[]) =>
        new Set(alerts.filter((i) => i.alert === missRate.name).map((i) => i.labels.segment));
      const floorless = evaluateAlerts([withoutFloor], samples, {
        startMs: scenario.startMs,
        endMs: evaluationEnd(scenario),
      });
      const range = (xs: number[]) =>
        `mean ${mean(xs).toFixed(4)} [${Math.min(...xs).toFixed(4)}, ${Math.max(...xs).toFixed(4)}]`;
      lines.push(
        `  model error ${modelError}: significant miss rate ${range(rates)}, mean absolute miss ${range(misses)}; pages in ${paged(incidents).size} of ${markets.length} markets (${paged(floorless).size} without the floor)`,
      );
      return { rates, misses, paged: paged(incidents), pagedWithoutFloor: paged(floorless) };
    };

    const small = await run(0.003);
    const large = await run(0.02);
    console.log(['100,000 treated units per campaign, 24 campaigns a day:', ...lines].join('\n'));
    // The miss rate alone would page: significant in well over a quarter of the campaigns, in every market.
    assert.ok(mean(small.rates) > 0.25, `0.3 points: mean miss rate ${mean(small.rates)}`);
    assert.equal(small.pagedWithoutFloor.size, markets.length, '0.3 points: the miss rate alone pages');
    // ...but the misses are small: the floor holds the page back.
    assert.ok(
      Math.max(...small.misses) < 0.005,
      `0.3 points: mean absolute miss ${Math.max(...small.misses)}`,
    );
    assert.equal(small.paged.size, 0, '0.3 points: lift_miss_rate_warning does not page');
    assert.ok(Math.min(...large.misses) > 0.005, `2 points: mean absolute miss ${Math.min(...large.misses)}`);
    assert.equal(large.paged.size, markets.length, '2 points: lift_miss_rate_warning pages in every market');
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

describe('sample ratio mismatch', () => {
  test('a 2% imbalance in one large campaign a day pages the SRM warning within 57.5 h, and nothing else pages', async () => {
    const lines: string[] = [];
    for (const seed of [1, 2, 3]) {
      const scenario = buildScenario(
        {
          ...defaults,
          days: 8,
          stableDays: 2,
          problems: [
            {
              kind: 'holdout_imbalance',
              market: 'se',
              startDay: 3,
              rampHours: 0,
              controlLoss: 0.02,
              campaigns: 1,
              treatmentUnits: 1_000_000,
              maxDetectionHours: 57.5,
            },
          ],
        },
        seed,
      );
      const summary = summarize(scenario, (await simulate(scenario)).incidents);
      const [{ problem, first }] = summary.detections as [(typeof summary.detections)[number]];
      assert.ok(first, `seed ${seed}: the 2% imbalance was not detected`);
      lines.push(`  seed ${seed} ${first.alert} after ${delay(first.openedAtMs - problem.startMs)}`);
      assert.equal(first.alert, 'lift_srm_warning');
      assert.ok((first.openedAtMs - problem.startMs) / HOUR_MS <= 57.5, `seed ${seed}`);
      assert.deepEqual(summary.unexplained, [], `seed ${seed}: alerts no problem explains`);
    }
    console.log(['a 2% holdout imbalance in one large campaign a day:', ...lines].join('\n'));
  });
});

const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;

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
