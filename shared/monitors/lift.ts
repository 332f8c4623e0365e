/**
 * The lift monitors: matured campaigns (realized vs predicted lift, per campaign segment) and unit-level uplift
 * batches (does the model still rank listeners by uplift).
 */
import type { Segment } from '../contracts/common.js';
import {
  type Campaign,
  CampaignResults,
  decodeMessage,
  UpliftBatch,
  upliftUnits,
} from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries, segmentLabel, type TimeSeries } from '../monitoring/series.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { Runtime } from '../runtime.js';
import { computeCampaignLift } from '../stats/lift/campaignSuite.js';
import { srmPValue } from '../stats/lift/sampleRatioMismatch.js';
import { computeUplift } from '../stats/uplift/suite.js';
import { assertWritableWindow } from '../writeWindow.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const LIFT_FUNCTION = 'liftMonitor';
export const UPLIFT_FUNCTION = 'upliftMonitor';

export interface LiftMinimums {
  /** Campaigns an aggregate needs before alert-bearing lift metrics are written. */
  campaigns: number;
  /** Treated and control units an uplift batch needs, each. */
  unitsPerArm: number;
}

/** Campaigns per structured log line: keeps each entry far below Cloud Logging's 256 KB limit. */
const CAMPAIGNS_PER_LOG_LINE = 500;

/** liftMonitor: realized against predicted lift, aggregated per campaign segment. */
export async function monitorCampaignLift(delivery: Delivery, runtime: Runtime): Promise<void> {
  const message = decodeMessage(CampaignResults, delivery.data);
  const identity = windowIdentity(delivery, message, runtime);
  assertWritableWindow(identity.endTime, runtime.now());
  const series: TimeSeries[] = [];
  for (const [label, group] of groupBySegment(message.segment, message.campaigns)) {
    const statistics = computeCampaignLift(group.campaigns);
    const enough = statistics.campaigns >= runtime.liftMinimums.campaigns;
    if (!enough) {
      delivery.log(
        'NOTICE',
        `insufficient data: ${statistics.campaigns} campaigns in ${label}, lift needs ${runtime.liftMinimums.campaigns}`,
        {
          event: 'insufficient_data',
          campaignSegment: label,
          campaigns: statistics.campaigns,
          minimum: runtime.liftMinimums.campaigns,
        },
      );
    }
    const { perCampaign, ...aggregate } = statistics;
    reportNonFinite(delivery, aggregate);
    series.push(
      ...buildSeries(
        { ...identity, segment: group.segment },
        metricsToWrite(LIFT_FUNCTION, enough),
        aggregate,
      ),
    );
    // Campaign IDs are unbounded, so they never become metric labels: the detail goes to the logs.
    for (let start = 0; start < perCampaign.length; start += CAMPAIGNS_PER_LOG_LINE) {
      delivery.log('INFO', `campaign lift for ${label}`, {
        event: 'campaign_lift',
        campaignSegment: label,
        aggregate,
        perCampaign: perCampaign.slice(start, start + CAMPAIGNS_PER_LOG_LINE),
      });
    }
  }
  reportWrite(delivery, await writeTimeSeries(runtime.monitoring, runtime.projectId, series));
}

/** Campaigns grouped by their segment: the message's segment with the campaign's own keys over it. */
export function groupBySegment(
  base: Segment | undefined,
  campaigns: Campaign[],
): Map<string, { segment: Segment; campaigns: Campaign[] }> {
  const groups = new Map<string, { segment: Segment; campaigns: Campaign[] }>();
  for (const campaign of campaigns) {
    const segment = { ...base, ...campaign.segment };
    const label = segmentLabel(segment);
    const group = groups.get(label) ?? { segment, campaigns: [] };
    group.campaigns.push(campaign);
    groups.set(label, group);
  }
  return groups;
}

/** The sample ratio mismatch p-value of an uplift batch's arms; null without a planned treatment share. */
export function upliftSrmPValue(
  treated: number,
  control: number,
  plannedTreatmentShare: number | undefined,
): number | null {
  return plannedTreatmentShare === undefined ? null : srmPValue(treated, control, plannedTreatmentShare);
}

/**
 * upliftMonitor: Qini with its bootstrap interval, uplift AUC, uplift at 30% and per-decile realized uplift of a
 * unit-level batch.
 */
export async function monitorUplift(delivery: Delivery, runtime: Runtime): Promise<void> {
  const message = decodeMessage(UpliftBatch, delivery.data);
  const identity = windowIdentity(delivery, message, runtime);
  const { uplift, treatment, outcomes } = upliftUnits(message);
  assertWritableWindow(identity.endTime, runtime.now());
  const suite = computeUplift(uplift, treatment, outcomes);
  const statistics = {
    ...suite,
    srmPValue: upliftSrmPValue(suite.treated, suite.control, message.plannedTreatmentShare),
  };
  const smallestArm = Math.min(statistics.treated, statistics.control);
  const enough = smallestArm >= runtime.liftMinimums.unitsPerArm;
  if (!enough) {
    delivery.log(
      'NOTICE',
      `insufficient data: ${statistics.treated} treated and ${statistics.control} control units, uplift needs ${runtime.liftMinimums.unitsPerArm} in each`,
      {
        event: 'insufficient_data',
        treated: statistics.treated,
        control: statistics.control,
        minimum: runtime.liftMinimums.unitsPerArm,
      },
    );
  }
  const entries = metricsToWrite(UPLIFT_FUNCTION, enough);
  const series = buildSeries(
    identity,
    entries.filter((entry) => !entry.extraLabels),
    statistics,
  );
  if (enough) {
    const perDecile = entries.filter((entry) => entry.extraLabels);
    statistics.deciles.forEach((decile, index) => {
      series.push(
        ...buildSeries({ ...identity, extraLabels: { decile: String(index + 1) } }, perDecile, {
          decilePredicted: decile.meanPredicted,
          decileRealized: decile.realizedUplift,
        }),
      );
    });
  }
  reportNonFinite(delivery, statistics);
  reportWrite(delivery, await writeTimeSeries(runtime.monitoring, runtime.projectId, series), {
    statistics: { ...statistics, deciles: undefined, qiniCurve: undefined },
    withheld: !enough,
  });
}
