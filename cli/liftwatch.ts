/**
 * The liftwatch CLI: the monitors' statistics for messages on disk, computed by the same code the functions
 * run. For checking a message pulled from production or a dead-letter topic before replaying it.
 *
 * Exit codes (sysexits.h): 0 success, 64 usage error, 65 a message the functions would refuse, 66 unreadable file.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  Baseline,
  CampaignResults,
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  OutcomeBatch,
  outcomePairs,
  PredictionBatch,
  predictionValues,
  UpliftBatch,
  upliftUnits,
} from '../shared/contracts/index.js';
import { BinningMismatchError, PermanentError } from '../shared/errors.js';
import { binnedCounts, featureBinning, predictionBinning } from '../shared/monitors/binning.js';
import { summarizeFeatureBaseline } from '../shared/monitors/featureBaseline.js';
import { compareFeatureWindow, featureReport } from '../shared/monitors/featureWindow.js';
import { groupBySegment } from '../shared/monitors/lift.js';
import { upliftSrmPValue } from '../shared/monitors/uplift.js';
import { DEFAULT_MINIMUMS } from '../shared/runtime.js';
import { computeCalibration } from '../shared/stats/calibration/suite.js';
import { summarizeBaseline } from '../shared/stats/drift/baselineSummary.js';
import { computeBinnedDrift } from '../shared/stats/drift/binnedSuite.js';
import { computeDrift } from '../shared/stats/drift/suite.js';
import { computeCampaignLift } from '../shared/stats/lift/campaignSuite.js';
import { computeUplift } from '../shared/stats/uplift/suite.js';
import { messageData } from './messageData.js';

export const USAGE = `Usage: liftwatch <command> [options]

Commands:
  drift --baseline BASELINE.json --batch BATCH.json
      Drift statistics of a PredictionBatch message against a Baseline message, as driftMonitor computes them
      (also below the minimum sample size at which the function withholds them). For a binned batch
      (binCounts) the result adds "approximate" (the statistics that are bounds: ksStatistic and ksPValue at the
      fine edges, wasserstein and wassersteinNormed as lower bounds) with ksStatisticUpperBound,
      wassersteinUpperBound and wassersteinNormedUpperBound.
  bins --baseline BASELINE.json
      The binning binned PredictionBatch windows are counted in for a Baseline message, as registerBaseline stores
      it: {"binning": "<fingerprint>", "edges": [...]}. Bin 0 is x < edges[0], bin i is edges[i-1] <= x < edges[i],
      the last is x >= edges[last] (numpy.searchsorted(edges, x, side="right"), BigQuery RANGE_BUCKET(x, edges)).
      For a FeatureBaseline message, every feature's binning, as registerFeatureBaseline stores it:
      {"features": {name: {"binning", "edges"} (numeric: count binCounts in these bins; the first bin is below
      the reference minimum, the last above its maximum) or {"binning", "categories"} (categorical: the kept
      categories; counts are keyed by category name)}}.
  calibration --batch OUTCOMES.json
      Calibration statistics of an OutcomeBatch message, as calibrationMonitor computes them.
  lift --batch CAMPAIGNS.json
      Realized against predicted lift of a CampaignResults message, over all its campaigns, with
      every campaign's realized lift and interval, its sample ratio mismatch p-value (srmPValue) and
      whether it is excluded for one (liftMonitor aggregates per campaign segment).
  features --baseline FEATURE_BASELINE.json --batch FEATURE_BATCH.json [--min-sample N]
      Drift and data-quality statistics of every feature of a FeatureBatch message against a FeatureBaseline
      message, whether each drifts or has broken data quality, the features ranked as featureMonitor's
      feature_drift log line ranks them, and the counts of drifting and broken features. A feature with fewer
      than N non-missing values (default ${DEFAULT_MINIMUMS.driftMinSample}, as the function's default) has only its counts and
      missing shares ("withheld": true); one the batch omits is "absent": true. A binned numeric column
      (binCounts) adds "approximate" (ksStatistic, ksPValue and wassersteinNormed at the fine edges) with
      ksStatisticUpperBound and wassersteinNormedUpperBound.
  uplift --batch UPLIFT.json
      Qini AUC with its 95% bootstrap interval (qiniAucLower, qiniAucUpper), uplift AUC, uplift at 30%,
      deciles and srmPValue of an UpliftBatch message, as upliftMonitor computes them.

Each FILE is a message exactly as published (its JSON data), or a Pub/Sub message envelope as pushed to a
function ({"message": {"data": "<base64>"}}) or printed by 'gcloud pubsub subscriptions pull --format=json'.
Use - to read standard input. The result is one JSON object on standard output.

Options:
  -h, --help   show this help

Exit status: 0 ok, 64 usage error, 65 the message would be refused (the reason is printed), 66 unreadable file.`;

export class UsageError extends Error {}
class UnreadableFileError extends Error {}

const commands: Record<string, (args: string[]) => unknown> = {
  drift(args) {
    const { values } = parseArgs({
      args,
      options: { baseline: { type: 'string' }, batch: { type: 'string' } },
      strict: true,
    });
    if (!values.baseline || !values.batch)
      throw new UsageError('drift needs --baseline FILE and --batch FILE');
    const baseline = inFile(values.baseline, () => decodeMessage(Baseline, read(values.baseline!)));
    const batch = inFile(values.batch, () => decodeMessage(PredictionBatch, read(values.batch!)));
    const summary = inFile(values.baseline, () =>
      summarizeBaseline(predictionValues(baseline, MAX_BASELINE_VALUES)),
    );
    if (batch.binCounts) {
      const { binning } = predictionBinning(baseline.model, baseline.modelVersion, summary);
      const counts = inFile(values.batch, () => {
        if (batch.model !== baseline.model || batch.modelVersion !== baseline.modelVersion)
          throw new BinningMismatchError(
            'binCounts.binning',
            `the batch is of ${batch.model} ${batch.modelVersion}, the baseline of ${baseline.model} ${baseline.modelVersion}`,
          );
        return binnedCounts(batch.binCounts!, { binning, summary });
      });
      return computeBinnedDrift(summary, counts);
    }
    const current = inFile(values.batch, () => predictionValues(batch, MAX_BATCH_VALUES));
    return computeDrift(summary, current);
  },
  bins(args) {
    const { values } = parseArgs({ args, options: { baseline: { type: 'string' } }, strict: true });
    if (!values.baseline) throw new UsageError('bins needs --baseline FILE');
    const data = inFile(values.baseline, () => read(values.baseline!));
    if (isFeatureBaseline(data)) {
      const message = inFile(values.baseline, () => decodeMessage(FeatureBaseline, data));
      const features = inFile(values.baseline, () => summarizeFeatureBaseline(message));
      return {
        features: Object.fromEntries(
          features.map(({ name, summary }) => [
            name,
            featureBinning(message.model, message.modelVersion, name, summary),
          ]),
        ),
      };
    }
    const baseline = inFile(values.baseline, () => decodeMessage(Baseline, data));
    const summary = inFile(values.baseline, () =>
      summarizeBaseline(predictionValues(baseline, MAX_BASELINE_VALUES)),
    );
    return predictionBinning(baseline.model, baseline.modelVersion, summary);
  },
  features(args) {
    const { values } = parseArgs({
      args,
      options: { baseline: { type: 'string' }, batch: { type: 'string' }, 'min-sample': { type: 'string' } },
      strict: true,
    });
    if (!values.baseline || !values.batch)
      throw new UsageError('features needs --baseline FILE and --batch FILE');
    const minSample = Number(values['min-sample'] ?? DEFAULT_MINIMUMS.driftMinSample);
    if (!Number.isInteger(minSample) || minSample < 0)
      throw new UsageError(
        `--min-sample must be a whole number, not ${JSON.stringify(values['min-sample'])}`,
      );
    const baselineMessage = inFile(values.baseline, () =>
      decodeMessage(FeatureBaseline, read(values.baseline!)),
    );
    const baseline = inFile(values.baseline, () => summarizeFeatureBaseline(baselineMessage));
    const window = inFile(values.batch, () => {
      const batch = decodeMessage(FeatureBatch, read(values.batch!));
      const columns = decodeFeatureColumns(batch, MAX_BATCH_VALUES);
      const binned = columns.find(({ column }) => 'binCounts' in column);
      if (
        binned &&
        (batch.model !== baselineMessage.model || batch.modelVersion !== baselineMessage.modelVersion)
      ) {
        // The function would compare them with the batch's own version's baseline, in whose bins they were counted.
        throw new BinningMismatchError(
          `features.${binned.name}.binCounts.binning`,
          `the batch is of ${batch.model} ${batch.modelVersion}, the baseline of ${baselineMessage.model} ${baselineMessage.modelVersion}`,
        );
      }
      return compareFeatureWindow(baseline, columns, minSample, batch);
    });
    return {
      features: window.features.map(featureReport),
      ranking: window.ranking,
      drifted: window.drifted,
      qualityBroken: window.qualityBroken,
    };
  },
  calibration(args) {
    const file = batchFile(args, 'calibration');
    const { predictions, outcomes } = inFile(file, () =>
      outcomePairs(decodeMessage(OutcomeBatch, read(file))),
    );
    return computeCalibration(predictions, outcomes);
  },
  lift(args) {
    const file = batchFile(args, 'lift');
    const message = inFile(file, () => decodeMessage(CampaignResults, read(file)));
    const groups = groupBySegment(message.segment, message.campaigns);
    if (groups.size <= 1) return computeCampaignLift(message.campaigns);
    // Campaigns carry their own segments: liftMonitor writes one aggregate per segment, shown here too.
    const bySegment = Object.fromEntries(
      [...groups].map(([label, group]) => {
        const { perCampaign: _, ...aggregate } = computeCampaignLift(group.campaigns);
        return [label, aggregate];
      }),
    );
    return { ...computeCampaignLift(message.campaigns), bySegment };
  },
  uplift(args) {
    const file = batchFile(args, 'uplift');
    const message = inFile(file, () => decodeMessage(UpliftBatch, read(file)));
    const { uplift, treatment, outcomes } = inFile(file, () => upliftUnits(message));
    const statistics = computeUplift(uplift, treatment, outcomes);
    const srmPValue = upliftSrmPValue(statistics.treated, statistics.control, message.plannedTreatmentShare);
    const { n, treated, control, ...rest } = statistics;
    return { n, treated, control, srmPValue, ...rest };
  },
};

/** The --batch FILE of a single-message command. */
function batchFile(args: string[], command: string): string {
  const { values } = parseArgs({ args, options: { batch: { type: 'string' } }, strict: true });
  if (!values.batch) throw new UsageError(`${command} needs --batch FILE`);
  return values.batch;
}

/** Runs the CLI; returns the exit code. Output goes to the given streams so tests can capture it. */
export function main(argv: string[], out: (text: string) => void, err: (text: string) => void): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? err : out)(`${USAGE}\n`);
    return command === undefined ? 64 : 0;
  }
  const run = commands[command];
  if (!run) {
    err(`liftwatch: unknown command '${command}'\n\n${USAGE}\n`);
    return 64;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    out(`${USAGE}\n`);
    return 0;
  }
  try {
    out(`${JSON.stringify(run(rest), null, 2)}\n`);
    return 0;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`liftwatch ${command}: ${message}\n\n${USAGE}\n`);
      return 64;
    }
    if (error instanceof UnreadableFileError) {
      err(`liftwatch ${command}: ${message}\n`);
      return 66;
    }
    if (error instanceof FileError) {
      err(`liftwatch ${command}: ${error.file}: ${oneLine(message)}\n`);
      return 65;
    }
    throw error;
  }
}

/**
 * A refusal on one line: a hostile field name (`"device\n"` as a feature name) is quoted in the reason, and its
 * control characters are written as JSON escapes so that a script reading stderr line by line sees one refusal.
 */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

class FileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a step on one file's message, naming the file when the message is refused. */
function inFile<T>(file: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof PermanentError) throw new FileError(file, error.message);
    throw error;
  }
}

/** Whether a message's JSON carries `features`, as a FeatureBaseline does (a Baseline is refused with its own rules). */
function isFeatureBaseline(data: Buffer): boolean {
  try {
    const message: unknown = JSON.parse(data.toString('utf8'));
    return typeof message === 'object' && message !== null && Object.hasOwn(message, 'features');
  } catch {
    return false; // decodeMessage names what is wrong with it
  }
}

function read(file: string): Buffer {
  let text: Buffer;
  try {
    text = readFileSync(file === '-' ? 0 : file);
  } catch (error) {
    throw new UnreadableFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return inFile(file, () => messageData(text));
}
