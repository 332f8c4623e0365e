/** The scenario's pieces without the stack: its file, its data, the time mapping and the judging of a run. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Incident } from '../../alerting/evaluation.js';
import {
  loadScenario,
  parsePublishDelay,
  parseScenario,
  withDays,
  withPublishDelays,
} from '../../local/scenario/config.js';
import { evaluationEnd } from '../../local/scenario/evaluate.js';
import { FEATURE_NAMES, ListenerModel, NUMERIC } from '../../local/scenario/features.js';
import {
  buildScenario,
  DAY_MS,
  HOUR_MS,
  MONITOR_OF_KIND,
  publicationEnd,
} from '../../local/scenario/generate.js';
import { RandomStream } from '../../local/scenario/random.js';
import { formatSummary, openAtEnd, simTime, summarize } from '../../local/scenario/summary.js';
import { compressedTimeMap } from '../../local/scenario/timeMapping.js';
import { decodeMessage } from '../../shared/contracts/decode.js';
import { columnRows, decodeFeatureColumns } from '../../shared/contracts/featureDecoding.js';
import { FeatureBaseline, FeatureBatch } from '../../shared/contracts/features.js';
import { CampaignResults, UpliftBatch } from '../../shared/contracts/lift.js';
import { OutcomeBatch } from '../../shared/contracts/outcomes.js';
import { Baseline, PredictionBatch } from '../../shared/contracts/predictions.js';
import { MAX_POINT_AGE_MS } from '../../shared/monitoring/writableWindow.js';
import { srmPValue } from '../../shared/stats/lift/sampleRatioMismatch.js';

const defaults = loadScenario();

describe('the scenario file', () => {
  test('the committed default is valid: 14 days, four markets, four problems after a stable week', () => {
    assert.equal(defaults.days, 14);
    assert.equal(defaults.stableDays, 7);
    assert.deepEqual(defaults.markets, ['se', 'de', 'br', 'us']);
    assert.deepEqual(
      defaults.problems.map((problem) => [problem.kind, problem.market, problem.startDay]),
      [
        ['feature_pipeline_break', 'de', 8],
        ['calibration_decay', 'br', 9],
        ['lift_overprediction', 'us', 10],
        ['holdout_imbalance', 'se', 11],
      ],
    );
  });

  const broken: { name: string; change: Record<string, unknown>; message: RegExp }[] = [
    {
      name: 'a problem in an unknown market',
      change: { problems: [{ ...defaults.problems[0], market: 'fr' }] },
      message: /fr is not one of the markets/,
    },
    {
      name: 'a problem inside the stable days',
      change: { problems: [{ ...defaults.problems[0], startDay: 3 }] },
      message: /inside the 7 stable days/,
    },
    { name: 'a misspelt field', change: { marketz: ['se'] }, message: /marketz/ },
    {
      name: 'a pipeline break that breaks nothing',
      change: { problems: [{ kind: 'feature_pipeline_break', market: 'de', startDay: 8 }] },
      message: /a feature pipeline break needs nulls, unseenCategory or both/,
    },
    {
      name: 'an "unseen" category the model was trained on',
      change: {
        problems: [
          {
            kind: 'feature_pipeline_break',
            market: 'de',
            startDay: 8,
            unseenCategory: { feature: 'device', category: 'mobile', share: 0.1 },
          },
        ],
      },
      message:
        /mobile is a category device was trained on, not an unseen one\n {2}→ at problems\[0\]\.unseenCategory\.category/,
    },
    {
      name: 'nulls in a feature the model does not have',
      change: {
        problems: [
          {
            kind: 'feature_pipeline_break',
            market: 'de',
            startDay: 8,
            nulls: { feature: 'listener_age', share: 0.4 },
          },
        ],
      },
      message: /problems\[0\]\.nulls\.feature/,
    },
    {
      name: 'an unknown problem kind',
      change: { problems: [{ kind: 'gremlins', market: 'se', startDay: 9 }] },
      message: /problems/,
    },
    { name: 'an inverted range', change: { predictions: { perHour: [900, 300] } }, message: /low <= high/ },
    {
      name: 'a publish delay of a monitor that does not exist',
      change: { publishDelayMinutes: { drift: 20, ranking: 5 } },
      message: /ranking/,
    },
    {
      name: 'a publish delay over a day (Cloud Monitoring refuses points over 25 h old)',
      change: { publishDelayMinutes: { calibration: 1500 } },
      message: /publishDelayMinutes\.calibration/,
    },
    {
      name: 'a publish delay in fractions of a minute',
      change: { publishDelayMinutes: { drift: 0.5 } },
      message: /publishDelayMinutes\.drift/,
    },
  ];
  for (const { name, change, message } of broken) {
    test(`refuses ${name}, naming the field`, () => {
      assert.throws(() => parseScenario({ ...defaults, ...change }, 'bad.json'), message);
    });
  }

  test('the default publishes late, as producers do: drift and feature windows 20 min, daily batches 3 h after their end', () => {
    assert.deepEqual(defaults.publishDelayMinutes, {
      drift: 20,
      calibration: 180,
      lift: 180,
      uplift: 180,
      features: 20,
    });
    assert.equal(defaults.ingestionDelayMinutes, 0);
    const { publishDelayMinutes } = parseScenario({ ...defaults, publishDelayMinutes: { lift: 60 } });
    assert.deepEqual(
      publishDelayMinutes,
      { drift: 0, calibration: 0, lift: 60, uplift: 0, features: 0 },
      'left out: 0',
    );
  });

  const delays: { text: string; expected: Record<string, number> }[] = [
    { text: 'drift=20m,calibration=3h', expected: { drift: 20, calibration: 180 } },
    { text: 'drift=20', expected: { drift: 20 } },
    { text: 'lift=1.5h, uplift=90m', expected: { lift: 90, uplift: 90 } },
    { text: '0', expected: { drift: 0, calibration: 0, lift: 0, uplift: 0, features: 0 } },
    {
      text: '2h,drift=5m',
      expected: { drift: 5, calibration: 120, lift: 120, uplift: 120, features: 120 },
    },
  ];
  for (const { text, expected } of delays) {
    test(`--publish-delay ${text} reads as ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parsePublishDelay(text), expected);
    });
  }

  for (const [text, message] of [
    ['drift=20s', /drift=20s is not monitor=minutes/],
    ['drift=0.01h', /is not monitor=minutes/],
    ['ranking=3h', /ranking is not a monitor \(drift, calibration, lift, uplift, features\)/],
    ['drift=', /is not monitor=minutes/],
  ] as const) {
    test(`--publish-delay ${text} is refused`, () => {
      assert.throws(() => parsePublishDelay(text), message);
    });
  }

  test('--publish-delay replaces the named monitors only, and is validated like the file', () => {
    const changed = withPublishDelays(defaults, parsePublishDelay('drift=45m'));
    assert.deepEqual(changed.publishDelayMinutes, {
      drift: 45,
      calibration: 180,
      lift: 180,
      uplift: 180,
      features: 20,
    });
    assert.throws(
      () => withPublishDelays(defaults, parsePublishDelay('lift=25h')),
      /publishDelayMinutes\.lift/,
    );
  });

  test('cutting the days drops the problems that would start later', () => {
    const short = withDays(defaults, 9);
    assert.equal(short.days, 9);
    assert.deepEqual(
      short.problems.map((problem) => problem.market),
      ['de', 'br'],
    );
  });
});

describe('the scenario data', () => {
  const scenario = buildScenario(withDays(defaults, 3), 42);
  const end = new Date(scenario.endMs);

  test('hourly predictions, daily campaigns and uplift per market, outcomes after the attribution delay', () => {
    const count = (kind: string) => scenario.events.filter((event) => event.kind === kind).length;
    assert.equal(count('predictions'), 3 * 24 * 4);
    assert.equal(count('features'), count('predictions'), 'a FeatureBatch with every PredictionBatch');
    assert.equal(count('campaigns'), 3 * 4);
    assert.equal(count('uplift'), 3 * 4);
    // Day 1's outcomes are final at the end of day 3; day 2's and 3's only after the scenario.
    assert.equal(count('outcomes'), 4);
  });

  test("each window is published its monitor's delay after its end, and the messages go in order of publication", () => {
    for (const event of scenario.events) {
      const minutes = defaults.publishDelayMinutes[MONITOR_OF_KIND[event.kind]];
      assert.equal(event.publishSimMs - event.simTimeMs, minutes * 60_000);
    }
    const { events } = scenario;
    assert.ok(events.every((event, i) => i === 0 || events[i - 1]!.publishSimMs <= event.publishSimMs));
    // Day 1's campaign results (window end day 2 00:00) go out at 03:00, after the drift windows up to 02:00.
    const campaigns = events.findIndex((event) => event.kind === 'campaigns');
    const before = events.slice(0, campaigns).filter((event) => event.market === 'se');
    assert.equal(events[campaigns]!.publishSimMs, scenario.startMs + DAY_MS + 3 * HOUR_MS);
    assert.deepEqual(
      before.slice(-2).map((event) => [event.kind, event.simTimeMs]),
      [
        ['predictions', scenario.startMs + DAY_MS + 2 * HOUR_MS],
        ['features', scenario.startMs + DAY_MS + 2 * HOUR_MS],
      ],
      'each PredictionBatch, then the FeatureBatch of its listeners',
    );
    const last = publicationEnd(scenario);
    assert.equal(last.lastPublishMs, scenario.endMs + 3 * HOUR_MS);
    assert.ok(evaluationEnd(scenario) > last.lastVisibleMs, 'the last batches are evaluated once visible');
  });

  test('every message satisfies its contract', () => {
    decodeMessage(Baseline, Buffer.from(JSON.stringify(scenario.baseline)));
    const featureBaseline = decodeMessage(
      FeatureBaseline,
      Buffer.from(JSON.stringify(scenario.featureBaseline)),
    );
    assert.deepEqual(
      decodeFeatureColumns(featureBaseline, defaults.baseline.size * 5).map((feature) => feature.name),
      [...FEATURE_NAMES],
    );
    const features = scenario.events.find((candidate) => candidate.kind === 'features')!;
    const batch = decodeMessage(FeatureBatch, Buffer.from(JSON.stringify(features.message(end))));
    const rows = scenario.world.predictionValues(features.market, features.simTimeMs).length;
    for (const { column } of decodeFeatureColumns(batch, rows * 5)) {
      assert.equal(columnRows(column), rows);
    }
    const contracts = {
      predictions: PredictionBatch,
      outcomes: OutcomeBatch,
      campaigns: CampaignResults,
      uplift: UpliftBatch,
    };
    for (const kind of ['predictions', 'outcomes', 'campaigns', 'uplift'] as const) {
      const event = scenario.events.find((candidate) => candidate.kind === kind)!;
      decodeMessage(contracts[kind], Buffer.from(JSON.stringify(event.message(end))));
    }
  });

  test('the same seed gives the same messages, another seed other data', () => {
    const again = buildScenario(withDays(defaults, 3), 42);
    const other = buildScenario(withDays(defaults, 3), 43);
    const first = (s: typeof scenario, i: number) => JSON.stringify(s.events[i]!.message(end));
    for (const i of [0, 100, scenario.events.length - 1]) assert.equal(first(again, i), first(scenario, i));
    assert.notEqual(first(other, 0), first(scenario, 0));
    assert.deepEqual(again.baseline, scenario.baseline);
    assert.deepEqual(again.featureBaseline, scenario.featureBaseline);
  });

  test('an hourly batch holds between the configured low and high counts, busier in the evening', () => {
    const [low, high] = defaults.predictions.perHour;
    const sizes = Array.from(
      { length: 24 },
      (_, hour) => scenario.world.predictionValues('se', scenario.startMs + (hour + 1) * HOUR_MS).length,
    );
    assert.ok(sizes.every((size) => size >= low * 0.9 && size <= high));
    assert.ok(sizes[20]! > sizes[4]!);
  });

  test('campaigns declare their planned treatment share and are randomized to it; a broken holdout loses control units', () => {
    const share = 1 / (1 + defaults.campaigns.controlShare);
    const day = scenario.startMs + DAY_MS;
    const correct = scenario.world.campaigns('se', day);
    assert.ok(correct.every((campaign) => campaign.plannedTreatmentShare === share));
    // Binomial arms: not the planned split exactly, but within chance of it.
    assert.ok(
      correct.some((c) => c.treatment.units !== Math.round((c.treatment.units + c.control.units) * share)),
    );
    assert.ok(
      correct.every((c) => srmPValue(c.treatment.units, c.control.units, share) > 1e-4),
      'correct holdouts pass the SRM test',
    );
    const world = buildScenario(defaults, 42).world;
    const broken = world.campaigns('se', scenario.startMs + 11 * DAY_MS);
    const lost = broken
      .slice(0, 8)
      .map((c) => c.control.units / (c.treatment.units * defaults.campaigns.controlShare));
    assert.ok(
      lost.every((ratio) => ratio < 0.95 && ratio > 0.88),
      `control kept ${lost.join(', ')}`,
    );
    assert.ok(broken.slice(8).every((c) => srmPValue(c.treatment.units, c.control.units, share) > 1e-4));
  });

  test('the binomial draws have the right mean and variance', () => {
    const random = new RandomStream(1, 'binomial');
    const draws = Array.from({ length: 4000 }, () => random.binomial(2000, 0.05));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
    assert.ok(Math.abs(mean - 100) < 0.5, `mean ${mean}`);
    assert.ok(Math.abs(variance / 95 - 1) < 0.08, `variance ${variance}`);
    assert.equal(random.binomial(10, 1), 10);
    assert.equal(random.binomial(10, 0), 0);
  });
});

describe('the listeners, their features and the model', () => {
  const scenario = buildScenario(withDays(defaults, 9), 5);
  const unbroken = buildScenario({ ...withDays(defaults, 9), problems: [] }, 5);
  const { world } = scenario;
  const breakStart = scenario.problems[0]!.startMs;
  const logit = (p: number) => Math.log(p / (1 - p));
  const moments = (values: ArrayLike<number>) => {
    const xs = Array.from(values);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) };
  };
  const hours = (market: string, fromMs: number, count: number) =>
    Array.from({ length: count }, (_, i) => world.hourListeners(market, fromMs + (i + 1) * HOUR_MS));

  test("the model's logits have the population's mean and spread, and its predictions are its truth", () => {
    const scored = hours('se', scenario.startMs, 48);
    const logits = scored.flatMap((hour) => Array.from(hour.predictions, logit));
    const { mean, sd } = moments(logits);
    assert.ok(Math.abs(mean - defaults.population.logitMean) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(sd / defaults.population.logitStd - 1) < 0.03, `sd ${sd}`);
    for (const hour of scored)
      assert.deepEqual(hour.predictions, hour.truths, 'calibrated without a problem');
  });

  test('importances are mean |SHAP|: sqrt(2/pi) x |coefficient| for a standard normal log feature', () => {
    const importance = Object.fromEntries(
      Object.entries(scenario.featureBaseline.features as Record<string, { importance: number }>).map(
        ([name, column]) => [name, column.importance],
      ),
    );
    const model = new ListenerModel(defaults.population);
    for (const [name, { weight }] of Object.entries(NUMERIC)) {
      const expected = Math.sqrt(2 / Math.PI) * model.scale * Math.abs(weight);
      assert.ok(
        Math.abs(importance[name]! / expected - 1) < 0.03,
        `${name}: ${importance[name]} vs ${expected}`,
      );
    }
    assert.deepEqual(
      Object.keys(importance).sort((a, b) => importance[b]! - importance[a]!),
      ['artist_followers', 'playlist_reach', 'track_age_days', 'market_tier', 'device'],
    );
  });

  test('the pipeline break serves nulls and an unseen category in de from its start, and nowhere else', () => {
    const [problem] = defaults.problems;
    assert.ok(problem?.kind === 'feature_pipeline_break' && problem.nulls && problem.unseenCategory);
    const share = (
      hoursScored: ReturnType<typeof hours>,
      test: (i: number, h: (typeof hoursScored)[0]) => boolean,
    ) => {
      let hits = 0;
      let rows = 0;
      for (const hour of hoursScored) {
        for (let i = 0; i < hour.served.count; i++) hits += test(i, hour) ? 1 : 0;
        rows += hour.served.count;
      }
      return hits / rows;
    };
    const nullShare = (h: ReturnType<typeof hours>) =>
      share(h, (i, hour) => Number.isNaN(hour.served.numeric.artist_followers[i]!));
    const unseenShare = (h: ReturnType<typeof hours>) =>
      share(h, (i, hour) => hour.served.categorical.device[i] === problem.unseenCategory!.category);
    const broken = hours('de', breakStart, 24);
    assert.ok(Math.abs(nullShare(broken) - problem.nulls.share) < 0.01, `nulls ${nullShare(broken)}`);
    assert.ok(Math.abs(unseenShare(broken) - problem.unseenCategory.share) < 0.01);
    for (const before of [hours('de', breakStart - DAY_MS, 24), hours('se', breakStart, 24)]) {
      assert.equal(nullShare(before), 0);
      assert.equal(unseenShare(before), 0);
    }
  });

  test('the break changes what is served, not the listeners: every value that arrives is the real one', () => {
    const simEnd = breakStart + 5 * HOUR_MS;
    const served = world.hourListeners('de', simEnd).served;
    const real = unbroken.world.hourListeners('de', simEnd).served;
    assert.equal(served.count, real.count);
    for (let i = 0; i < served.count; i++) {
      const followers = served.numeric.artist_followers[i]!;
      if (!Number.isNaN(followers)) assert.equal(followers, real.numeric.artist_followers[i]);
      const device = served.categorical.device[i];
      if (device !== 'car') assert.equal(device, real.categorical.device[i]);
      assert.equal(served.numeric.playlist_reach[i], real.numeric.playlist_reach[i]);
    }
  });

  test('the model scores a null as 0 followers and the unseen device as the reference level: its predictions drop', () => {
    const simEnd = breakStart + 5 * HOUR_MS;
    const broken = world.hourListeners('de', simEnd);
    const real = unbroken.world.hourListeners('de', simEnd);
    const model = new ListenerModel(defaults.population);
    const { center, spread, weight } = NUMERIC.artist_followers;
    for (let i = 0; i < broken.served.count; i++) {
      const followers = broken.served.numeric.artist_followers[i]!;
      const device = broken.served.categorical.device[i]!;
      let expected = logit(real.predictions[i]!);
      if (Number.isNaN(followers)) {
        const realFollowers = real.served.numeric.artist_followers[i]!;
        expected +=
          model.scale * weight * ((0 - center) / spread - (Math.log10(1 + realFollowers) - center) / spread);
      }
      if (device === 'car') expected -= model.categoricalTerm('device', real.served.categorical.device[i]!);
      assert.ok(Math.abs(logit(broken.predictions[i]!) - expected) < 1e-9, `row ${i}`);
      // The listeners convert as their real features say: the truth is the unbroken model's prediction.
      assert.equal(broken.truths[i], real.predictions[i]);
    }
    const drop =
      moments(Array.from(real.predictions, logit)).mean - moments(Array.from(broken.predictions, logit)).mean;
    assert.ok(drop > 1, `mean logit drop ${drop}`);
  });
});

describe('simulated time onto writable time', () => {
  const simStart = Date.UTC(2026, 2, 2);
  const now = Date.UTC(2026, 10, 26, 15, 42, 17);

  test('14 days go 15 times faster into the 23 hours before now, and come back exactly', () => {
    const map = compressedTimeMap(simStart, simStart + 14 * DAY_MS, now);
    assert.equal(map.factor, 15);
    const last = map.toReal(simStart + 14 * DAY_MS);
    assert.ok(last < now && now - last <= 2 * 60_000);
    assert.ok(
      now - map.toReal(simStart) < MAX_POINT_AGE_MS - 2 * HOUR_MS,
      'the oldest window stays writable',
    );
    for (let hour = 0; hour <= 14 * 24; hour++) {
      const sim = simStart + hour * HOUR_MS;
      assert.ok(Number.isInteger(map.toReal(sim)));
      assert.equal(map.toSim(map.toReal(sim)), sim);
    }
    // An hour of windows keeps 4 minutes between points: far above the 5 s sampling period.
    assert.equal(map.toReal(simStart + HOUR_MS) - map.toReal(simStart), 240_000);
  });

  test('a short scenario is compressed less, one shorter than the window not at all', () => {
    assert.equal(compressedTimeMap(simStart, simStart + 3 * DAY_MS, now).factor, 4);
    assert.equal(compressedTimeMap(simStart, simStart + 12 * HOUR_MS, now).factor, 1);
    assert.throws(() => compressedTimeMap(simStart, simStart + 90_000, now), /whole grains/);
  });
});

describe('judging a run', () => {
  const scenario = buildScenario(defaults, 1);
  const at = (day: number, hour: number) => scenario.startMs + (day - 1) * DAY_MS + hour * HOUR_MS;
  const incident = (
    alert: string,
    monitor: Incident['monitor'],
    market: string,
    opened: number,
    closed?: number,
  ): Incident => ({
    alert,
    severity: alert.endsWith('critical') ? 'CRITICAL' : 'WARNING',
    monitor,
    labels: {
      project_id: 'liftwatch-local',
      model: 'promo-lift',
      model_version: 'v1',
      segment: `market=${market}`,
    },
    pendingSinceMs: opened - HOUR_MS,
    openedAtMs: opened,
    ...(closed !== undefined ? { closedAtMs: closed } : {}),
  });

  test('an alert of the right monitor and market after the start detects the problem; anything else is a false alarm', () => {
    const incidents = [
      incident('drift_psi_warning', 'drift', 'se', at(3, 5), at(3, 9)),
      incident('feature_quality_critical', 'features', 'de', at(8, 1.5)),
      incident('drift_psi_warning', 'drift', 'de', at(8, 3)),
      incident('drift_psi_critical', 'drift', 'de', at(8, 4)),
      incident('calibration_oe_warning', 'calibration', 'us', at(9, 1)),
      incident('calibration_oe_critical', 'calibration', 'de', at(10, 4)),
      incident('lift_ratio_critical', 'lift', 'us', at(11, 1)),
    ];
    const summary = summarize(scenario, incidents);
    const [pipeline, calibration, lift] = summary.detections;
    assert.equal(pipeline!.first?.alert, 'feature_quality_critical');
    assert.equal(pipeline!.firstCritical?.openedAtMs, at(8, 1.5));
    assert.deepEqual(
      pipeline!.required.map(({ name, first, withinDelay }) => [name, first?.alert, withinDelay]),
      [
        ['feature alerts', 'feature_quality_critical', true],
        ['prediction drift', 'drift_psi_warning', true],
      ],
    );
    assert.ok(pipeline!.withinDelay);
    assert.ok(
      pipeline!.alerts.some((one) => one.alert === 'calibration_oe_critical'),
      "the break's badly scored outcomes explain de's calibration alert",
    );
    assert.equal(calibration!.first, undefined);
    assert.equal(lift!.first?.alert, 'lift_ratio_critical');
    assert.deepEqual(
      summary.stableAlarms.map((one) => one.labels.segment),
      ['market=se'],
    );
    assert.deepEqual(
      summary.unexplained.map((one) => `${one.alert} ${one.labels.segment}`),
      ['drift_psi_warning market=se', 'calibration_oe_warning market=us'],
    );
    const text = formatSummary(scenario, summary);
    assert.match(text, /Calibration decay in br\s+day 9 00:00\s+NOT DETECTED/);
    assert.match(
      text,
      /Feature pipeline break in de\s+day 8 00:00\s+feature_quality_critical at day 8 01:30\s+1 h 30 min/,
    );
    assert.match(
      text,
      /Feature pipeline break in de must page through feature alerts \(feature_quality_critical at day 8 01:30, after 1 h 30 min\) and prediction drift \(drift_psi_warning at day 8 03:00, after 3 h\)/,
    );
    assert.match(
      text,
      /False alarms in the stable days \(day 1 to day 7\): 1; alerts no injected problem explains: 2/,
    );
  });

  test('a pipeline break must page through both the feature alerts and the prediction drift, each within its bound', () => {
    const bound = defaults.problems[0]!.maxDetectionHours!;
    const onlyFeatures = summarize(scenario, [
      incident('feature_quality_critical', 'features', 'de', at(8, 1.5)),
    ]).detections[0]!;
    assert.equal(onlyFeatures.first?.alert, 'feature_quality_critical');
    assert.equal(onlyFeatures.withinDelay, false, 'the prediction drift did not page');
    const lateDrift = summarize(scenario, [
      incident('feature_quality_critical', 'features', 'de', at(8, 1.5)),
      incident('drift_psi_warning', 'drift', 'de', at(8, bound + 0.25)),
    ]).detections[0]!;
    assert.deepEqual(
      lateDrift.required.map((group) => group.withinDelay),
      [true, false],
    );
    assert.equal(lateDrift.withinDelay, false);
  });

  test('an incident closed only because the data ended is reported still firing', () => {
    const [open, closed] = openAtEnd(
      [
        incident('a', 'drift', 'de', at(14, 3), scenario.endMs + HOUR_MS),
        incident('b', 'drift', 'de', at(14, 3), at(14, 5)),
      ],
      scenario.endMs,
    );
    assert.equal(open!.closedAtMs, undefined);
    assert.equal(closed!.closedAtMs, at(14, 5));
    assert.equal(simTime(scenario, at(8, 4.5)), 'day 8 04:30');
  });
});
