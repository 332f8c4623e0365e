/** The lift monitor: matured campaigns, realized vs predicted lift, per campaign segment. */
import type { Segment } from '../contracts/common.js';
import { type Campaign, CampaignResults, decodeMessage } from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries, segmentLabel, type TimeSeries } from '../monitoring/series.js';
import { assertWritableWindow } from '../monitoring/writableWindow.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { Runtime } from '../runtime.js';
import { computeCampaignLift } from '../stats/lift/campaignSuite.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const LIFT_FUNCTION = 'liftMonitor';

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
    const enoughData = statistics.campaigns >= runtime.liftMinimums.campaigns;
    if (!enoughData) {
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
        metricsToWrite(LIFT_FUNCTION, enoughData),
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
