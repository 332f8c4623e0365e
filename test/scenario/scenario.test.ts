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
        ['prediction_drift', 'de', 8],
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

  test('the default publishes late, as producers do: drift windows 20 min, daily batches 3 h after their end', () => {
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
    assert.equal(before.at(-1)?.kind, 'predictions');
    assert.equal(before.at(-1)?.simTimeMs, scenario.startMs + DAY_MS + 2 * HOUR_MS);
    const last = publicationEnd(scenario);
    assert.equal(last.lastPublishMs, scenario.endMs + 3 * HOUR_MS);
    assert.ok(evaluationEnd(scenario) > last.lastVisibleMs, 'the last batches are evaluated once visible');
  });

  test('every message satisfies its contract', () => {
    decodeMessage(Baseline, Buffer.from(JSON.stringify(scenario.baseline)));
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
      incident('drift_psi_warning', 'drift', 'de', at(8, 4)),
      incident('drift_psi_critical', 'drift', 'de', at(8, 7)),
      incident('calibration_oe_warning', 'calibration', 'de', at(9, 1)),
      incident('lift_ratio_critical', 'lift', 'us', at(11, 1)),
    ];
    const summary = summarize(scenario, incidents);
    const [drift, calibration, lift] = summary.detections;
    assert.equal(drift!.first?.openedAtMs, at(8, 4));
    assert.equal(drift!.firstCritical?.openedAtMs, at(8, 7));
    assert.equal(calibration!.first, undefined);
    assert.equal(lift!.first?.alert, 'lift_ratio_critical');
    assert.deepEqual(
      summary.stableAlarms.map((one) => one.labels.segment),
      ['market=se'],
    );
    assert.deepEqual(
      summary.unexplained.map((one) => one.alert),
      ['drift_psi_warning', 'calibration_oe_warning'],
    );
    const text = formatSummary(scenario, summary);
    assert.match(text, /Calibration decay in br\s+day 9 00:00\s+NOT DETECTED/);
    assert.match(text, /Prediction drift in de\s+day 8 00:00\s+drift_psi_warning at day 8 04:00\s+4 h/);
    assert.match(
      text,
      /False alarms in the stable days \(day 1 to day 7\): 1; alerts no injected problem explains: 2/,
    );
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
