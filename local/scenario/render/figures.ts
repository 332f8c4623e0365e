/**
 * The report's per-market figures that compare a stable-day batch with the last one: reliability diagrams (from
 * the calibration bin gauges), predicted vs realized lift per campaign (from liftMonitor's campaign_lift log
 * lines) and Qini curves (recomputed from the uplift batches' data with shared/stats/uplift).
 */
import type { MetricSample } from '../../../alerting/evaluation.js';
import type { CampaignLift } from '../../../shared/stats/lift/campaignSuite.js';
import type { Problem } from '../config.js';
import type { Scenario } from '../generate.js';
import type { ReportData } from '../run.js';
import { simTime } from '../summary.js';
import { type XYSeries, xyChart } from './charts.js';
import { escapeXml } from './svg.js';

/** A chart with its market caption (and the problem injected there). */
export function figure(
  market: string,
  problem: Problem | undefined,
  svg: string,
  points?: number,
  note?: string,
): string {
  const badge = problem
    ? ` <span class="badge">${escapeXml(problem.kind.replaceAll('_', ' '))} from day ${problem.startDay}</span>`
    : '';
  const empty = points === 0 ? ' <span class="empty">no points</span>' : '';
  const sub = note ? `<span class="subcaption">${escapeXml(note)}</span>` : '';
  return `<figure><figcaption>${escapeXml(market)}${badge}${empty}${sub}</figcaption>${svg}</figure>`;
}

/** The problem injected in a market, if any. */
export const problemIn = (scenario: Scenario, market: string): Problem | undefined =>
  scenario.problems.find((injected) => injected.problem.market === market)?.problem;

/** Bins with fewer pairs are left out of the reliability diagram: their observed rate is mostly noise. */
const MIN_BIN_PAIRS = 50;

const percent = (value: number) => `${(value * 100).toFixed(2)}%`;

/** The stable-day and the last of a market's batch times (one time when they coincide). */
function stableAndLast(times: number[], stableEndMs: number): { timeMs: number; stable: boolean }[] {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const stable = sorted.filter((t) => t <= stableEndMs).at(-1);
  const last = sorted.at(-1);
  return [
    ...(stable !== undefined ? [{ timeMs: stable, stable: true }] : []),
    ...(last !== undefined && last !== stable ? [{ timeMs: last, stable: false }] : []),
  ];
}

/** `window end day 7 00:00, visible day 7 03:00` for each batch, from the visible time of its points. */
function visibilityNote(
  scenario: Scenario,
  samples: readonly MetricSample[],
  metric: string,
  market: string,
  batches: { timeMs: number; stable: boolean }[],
): string {
  return batches
    .map(({ timeMs, stable }) => {
      const sample = samples.find(
        (s) => s.metric === metric && s.labels.segment === `market=${market}` && s.timeMs === timeMs,
      );
      const visible = sample?.visibleAtMs ?? timeMs;
      return `${stable ? 'stable' : 'last'} batch: window end ${simTime(scenario, timeMs)}, visible ${simTime(scenario, visible)}`;
    })
    .join(' · ');
}

function row(title: string, note: string, figures: string[]): string {
  return `<div class="metric"><h3>${title}</h3><p class="note">${note}</p><div class="grid">${figures.join('')}</div></div>`;
}

export function reliabilityFigures(data: ReportData): string {
  const { scenario, samples, summary } = data;
  const figures = scenario.config.markets.map((market) => {
    const ofMarket = (metric: string) =>
      samples.filter((s: MetricSample) => s.metric === metric && s.labels.segment === `market=${market}`);
    const means = ofMarket('calibration/bin_mean_prediction');
    const observed = ofMarket('calibration/bin_observed_rate');
    const counts = ofMarket('calibration/bin_count');
    const batches = stableAndLast(
      means.map((s) => s.timeMs),
      summary.stableEndMs,
    );
    const largest = Math.max(1, ...counts.map((s) => s.value));
    const series: XYSeries[] = batches.map(({ timeMs, stable }) => ({
      name: simTime(scenario, timeMs),
      className: stable ? 'stablebatch' : 'lastbatch',
      joined: true,
      points: means
        .filter((s) => s.timeMs === timeMs)
        .flatMap((mean) => {
          const bin = mean.labels.bin;
          const rate = observed.find((s) => s.timeMs === timeMs && s.labels.bin === bin);
          const count = counts.find((s) => s.timeMs === timeMs && s.labels.bin === bin)?.value ?? 0;
          if (!rate || count < MIN_BIN_PAIRS) return [];
          return [
            {
              x: mean.value,
              y: rate.value,
              r: 1.5 + 4 * Math.sqrt(count / largest),
              title: `bin ${bin} at ${simTime(scenario, timeMs)}: predicted ${percent(mean.value)}, observed ${percent(rate.value)}, ${count} pairs`,
            },
          ];
        }),
    }));
    const top = Math.max(0.1, ...series.flatMap((s) => s.points.flatMap((p) => [p.x, p.y])));
    const domain: [number, number] = [0, Math.ceil(top * 10) / 10];
    const svg = xyChart({
      title: `Reliability diagram in ${market}`,
      xLabel: 'mean predicted probability',
      yLabel: 'observed conversion rate',
      xDomain: domain,
      yDomain: domain,
      series,
      references: [{ slope: 1, name: 'perfect calibration' }],
    });
    const note = visibilityNote(scenario, samples, 'calibration/bin_mean_prediction', market, batches);
    return figure(market, problemIn(scenario, market), svg, means.length, note);
  });
  return row(
    'Reliability diagram <code>calibration/bin_*</code>',
    `<span class="key stablebatchkey"></span> last batch of the stable days <span class="key lastbatchkey"></span> last batch; marker area ∝ pairs in the bin (bins under ${MIN_BIN_PAIRS} pairs left out); on the diagonal the model is calibrated.`,
    figures,
  );
}

export function liftFigures(data: ReportData): string {
  const { scenario, campaigns, samples, summary } = data;
  const figures = scenario.config.markets.map((market) => {
    const ofMarket = campaigns.filter((batch) => batch.market === market);
    const batches = stableAndLast(
      ofMarket.map((batch) => batch.simTimeMs),
      summary.stableEndMs,
    );
    const point = (c: CampaignLift) => ({
      x: c.predictedLift,
      y: c.realizedLift,
      low: c.realizedLiftLower,
      high: c.realizedLiftUpper,
      title: `${c.campaignId}: predicted ${percent(c.predictedLift)}, realized ${percent(c.realizedLift)} [${percent(c.realizedLiftLower)}, ${percent(c.realizedLiftUpper)}], ${c.treatmentUnits} treated / ${c.controlUnits} control, SRM p ${c.srmPValue === null || c.srmPValue === undefined ? 'n/a' : c.srmPValue.toPrecision(3)}${c.excluded ? `: excluded (${c.excluded.replaceAll('_', ' ')})` : ''}`,
    });
    const series: XYSeries[] = batches.flatMap(({ timeMs, stable }) => {
      const rows = ofMarket
        .filter((batch) => batch.simTimeMs === timeMs)
        .flatMap((batch) => batch.perCampaign);
      const excluded = rows.filter((c) => c.excluded);
      return [
        {
          name: simTime(scenario, timeMs),
          className: stable ? 'stablebatch' : 'lastbatch',
          points: rows.filter((c) => !c.excluded).map(point),
        },
        ...(excluded.length > 0
          ? [
              {
                name: `${simTime(scenario, timeMs)}, excluded for sample ratio mismatch`,
                className: 'excludedcampaign',
                points: excluded.map(point),
              },
            ]
          : []),
      ];
    });
    const points = series.flatMap((s) => s.points);
    const xMax = Math.max(0.01, ...points.map((p) => p.x)) * 1.1;
    const yLow = Math.min(0, ...points.map((p) => p.low ?? p.y));
    const yHigh = Math.max(xMax, ...points.map((p) => p.high ?? p.y));
    const svg = xyChart({
      title: `Predicted vs realized lift per campaign in ${market}`,
      xLabel: 'predicted lift',
      yLabel: 'realized lift (95% interval)',
      xDomain: [0, xMax],
      yDomain: [yLow, yHigh],
      series,
      references: [
        { slope: 1, name: 'realized = predicted' },
        { slope: 0, name: 'no lift' },
      ],
    });
    const note = visibilityNote(scenario, samples, 'lift/ratio', market, batches);
    return figure(market, problemIn(scenario, market), svg, points.length, note);
  });
  return row(
    'Predicted vs realized lift per campaign <span class="extra">from liftMonitor\'s campaign_lift log lines</span>',
    '<span class="key stablebatchkey"></span> campaigns of the last stable day <span class="key lastbatchkey"></span> campaigns of the last day <span class="key excludedcampaignkey"></span> campaigns excluded from the aggregates for a sample ratio mismatch (SRM p < 0.001: a broken holdout); bars: 95% Newcombe interval of the realized lift; the diagonal is a model that delivers what it predicts.',
    figures,
  );
}

export function qiniFigures(data: ReportData): string {
  const { scenario, qini } = data;
  const figures = scenario.config.markets.map((market) => {
    const curves = qini.filter((batch) => batch.market === market);
    const series: XYSeries[] = curves.map((batch, index) => {
      const n = batch.curve.at(-1)?.units || 1;
      return {
        name: batch.label,
        className: index === 0 && curves.length > 1 ? 'stablebatch' : 'lastbatch',
        joined: true,
        points: batch.curve.map((point) => ({
          x: point.units / n,
          y: point.value,
          r: 0.01,
          title: `${batch.label}: top ${((100 * point.units) / n).toFixed(0)}% → ${point.value.toFixed(1)} incremental conversions (Qini AUC ${batch.qiniAuc?.toFixed(3) ?? 'n/a'})`,
        })),
      };
    });
    const values = curves.flatMap((batch) => batch.curve.map((point) => point.value));
    const svg = xyChart({
      title: `Qini curve in ${market}`,
      xLabel: 'share of listeners, highest predicted uplift first',
      yLabel: 'incremental conversions',
      xDomain: [0, 1],
      yDomain: [Math.min(0, ...values), Math.max(1, ...values) * 1.05],
      series,
      references: curves.map((batch) => ({
        slope: 0,
        name: `random targeting (${batch.label})`,
        from: [0, 0] as [number, number],
        to: [1, batch.curve.at(-1)?.value ?? 0] as [number, number],
      })),
    });
    const legend = curves.map((batch) => `${batch.label} ${batch.qiniAuc?.toFixed(3) ?? 'n/a'}`).join(' · ');
    return figure(market, problemIn(scenario, market), svg, values.length, `Qini AUC ${legend}`);
  });
  return row(
    'Qini curve <span class="extra">recomputed with shared/stats/uplift from the batches\' data</span>',
    '<span class="key stablebatchkey"></span> last stable day <span class="key lastbatchkey"></span> last day; dashed: random targeting. A curve above its diagonal means the model ranks listeners by uplift.',
    figures,
  );
}
