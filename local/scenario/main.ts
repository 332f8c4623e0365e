/**
 * `npm start`: the whole of liftwatch on this machine, a promotion-lift scenario replayed through it, the alerts
 * evaluated, a report written. See --help.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MissingToolError } from '../emulators.js';
import { FUNCTION_TOPICS, type LocalStack } from '../stack.js';
import {
  DEFAULT_SCENARIO_FILE,
  loadScenario,
  parsePublishDelay,
  withDays,
  withPublishDelays,
} from './config.js';
import { runScenario } from './run.js';
import { formatSummary, simTime } from './summary.js';

const HELP = `npm start [-- options]

Starts the local stack (Pub/Sub and Firestore emulators, a local Cloud Monitoring, the seven functions),
replays a promotion-lift scenario through it (hourly prediction windows with the FeatureBatch of their
listeners, daily outcomes, campaign results and uplift batches), evaluates the alerts of alerting/alerts.json over the
recorded metrics, writes report/index.html and prints a summary.

Options:
  --seed N             random seed of the scenario's data (default 1); the same seed gives the same run
  --scenario FILE      scenario file (default local/scenario/default.json)
  --days N             simulate only the first N days (problems starting later are left out)
  --publish-delay LIST how late each monitor's windows are published after their window end, overriding
                       the scenario file's publishDelayMinutes (default: drift and features 20 min,
                       calibration, lift and uplift 3 h): monitor=duration pairs, a duration in minutes (20, 20m) or hours (3h,
                       1.5h), e.g. --publish-delay drift=20m,calibration=3h; a bare duration sets every
                       monitor (--publish-delay 0: each window published at its end). A point is readable by
                       the alerts only from its publication
  --report FILE        where to write the report (default report/index.html)
  --summary-json FILE  also write the summary as JSON
  --keep-running       leave the stack up after the run for manual publishing; Ctrl-C stops it
  --help               this text

Exit status: 0 when every injected problem was detected and the stable days paged nothing, 1 when not (or on
any failure), 64 on a usage error, 69 when gcloud, an emulator component or Java is missing.

Needs the Google Cloud CLI with the Pub/Sub and Firestore emulators and Java 17+ (Debian: google-cloud-cli
google-cloud-cli-pubsub-emulator google-cloud-cli-firestore-emulator openjdk-17-jre-headless), and the build
(npm start runs npm run build first).`;

class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      scenario: { type: 'string' },
      days: { type: 'string' },
      'publish-delay': { type: 'string' },
      report: { type: 'string', default: 'report/index.html' },
      'summary-json': { type: 'string' },
      'keep-running': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a whole number, not ${values.seed}`);
  let config = loadScenario(values.scenario ?? DEFAULT_SCENARIO_FILE);
  if (values.days !== undefined) {
    const days = Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > config.days) {
      throw new UsageError(`--days must be a whole number from 1 to ${config.days}, not ${values.days}`);
    }
    config = withDays(config, days);
  }
  if (values['publish-delay'] !== undefined) {
    config = withPublishDelays(config, parsePublishDelay(values['publish-delay']));
  }
  return { ...values, seed, config };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof options>;
  try {
    if (process.argv.includes('--help') || process.argv.includes('-h')) {
      console.log(HELP);
      return 0;
    }
    parsed = options();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 64;
  }
  if (!existsSync('build/bundle/functions.js')) {
    console.error('build/bundle/functions.js is missing: run npm run build first (npm start does)');
    return 1;
  }

  let stack: LocalStack | undefined;
  let stopping = false;
  const stopAndExit = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the local stack...\n`);
    await stack?.stop().catch(() => undefined);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', stopAndExit);
  process.on('SIGTERM', stopAndExit);

  const interactive = process.stderr.isTTY;
  let lastPrinted = -1;
  const began = Date.now();
  try {
    const result = await runScenario({
      config: parsed.config,
      seed: parsed.seed,
      reportFile: parsed.report,
      ...(parsed['summary-json'] ? { summaryJsonFile: parsed['summary-json'] } : {}),
      keepRunning: parsed['keep-running'],
      say: (line) => console.log(line),
      onStack: (running) => {
        stack = running;
      },
      onProgress: (progress, scenario) => {
        const share = Math.floor((100 * progress.done) / progress.total);
        const line = `  ${String(share).padStart(3)}%  ${progress.done}/${progress.total} messages processed  simulated ${simTime(scenario, progress.simTimeMs)}  ${Math.round((Date.now() - began) / 1000)} s`;
        if (interactive) process.stderr.write(`\r${line}\u001b[K`);
        else if (share >= lastPrinted + 10 || progress.done === progress.total) {
          lastPrinted = share;
          console.log(line);
        }
      },
    });
    if (interactive) process.stderr.write('\n');
    stack = result.stack;
    console.log(`\n${formatSummary(result.scenario, result.summary)}\n`);
    console.log(`Report: ${path.relative(process.cwd(), result.reportFile)} (open it in a browser)`);
    if (parsed['summary-json']) console.log(`Summary JSON: ${parsed['summary-json']}`);
    console.log(`Done in ${Math.round((Date.now() - began) / 1000)} s.`);
    if (result.stack) {
      const running = result.stack;
      const { pubsub, monitoring, firestore } = running.endpoints;
      console.log(
        [
          '',
          `The stack keeps running; Ctrl-C stops it. Pub/Sub emulator ${pubsub}, Firestore emulator ${firestore}, Monitoring ${monitoring}.`,
          'Publish a window yourself (the emulator needs no credentials; windowEnd must be within the last 25 hours):',
          `  jq -c --arg now "$(date -u +%Y-%m-%dT%H:%M:00Z)" '.windowEnd = $now | .modelVersion = "${result.scenario.config.modelVersion}"' test/samples/prediction-batch.json \\`,
          `    | base64 -w0 | jq -R '{messages: [{data: ., orderingKey: "${result.scenario.config.model}/${result.scenario.config.modelVersion}/market=se"}]}' \\`,
          `    | curl -s -X POST -H 'content-type: application/json' -d @- http://${pubsub}/v1/projects/${running.projectId}/topics/predictions:publish`,
          `Topics: ${Object.values(FUNCTION_TOPICS).join(', ')}. The functions' logs follow.`,
        ].join('\n'),
      );
      for (const [name, fn] of Object.entries(running.functions)) {
        let seen = fn.logs().length;
        setInterval(() => {
          const lines = fn.logs();
          for (const line of lines.slice(seen)) console.log(`[${name}] ${line}`);
          seen = lines.length;
        }, 500);
      }
      await new Promise(() => undefined);
    }
    const { summary } = result;
    return summary.detections.every((detection) => detection.withinDelay) && summary.stableAlarms.length === 0
      ? 0
      : 1;
  } catch (error) {
    if (interactive) process.stderr.write('\n');
    if (error instanceof MissingToolError) {
      console.error(`Cannot start the local stack: ${error.message}`);
      return 69;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}

const status = await main();
// Everything started was stopped; exit even if a client library left a timer behind.
process.stdout.write('', () => process.exit(status));
