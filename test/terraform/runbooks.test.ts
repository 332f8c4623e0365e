/**
 * The runbooks' replay commands run against the sample messages in test/samples, through the built CLI
 * (node bin/liftwatch.js after npm run build): each must exit 0 and print its monitor's statistics, and a
 * command whose subcommand or flags the CLI does not offer fails.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { alertCatalog } from '../../alerting/alerts.js';
import { repoRoot } from './support/hcl.js';

/** The sample message each flag of each subcommand reads. */
const samples: Record<string, Record<string, string>> = {
  drift: { '--baseline': 'test/samples/baseline.json', '--batch': 'test/samples/prediction-batch.json' },
  calibration: { '--batch': 'test/samples/outcome-batch.json' },
  lift: { '--batch': 'test/samples/campaign-results.json' },
  uplift: { '--batch': 'test/samples/uplift-batch.json' },
  features: {
    '--baseline': 'test/samples/feature-baseline.json',
    '--batch': 'test/samples/feature-batch.json',
  },
};

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'bin/liftwatch.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });

const built = existsSync(join(repoRoot, 'build/cli/liftwatch.js'));
const help = built ? cli(['--help']).stdout : '';
const offered = (subcommand: string) => new RegExp(`^ {2}${subcommand} --`, 'm').test(help);
const replays = [...new Set(alertCatalog.alerts.map((alert) => alert.runbook.replay))];

test('every runbook replay command names a subcommand with sample messages for all its files', () => {
  for (const replay of replays) {
    const [, , subcommand, ...args] = replay.split(' ');
    const flags = samples[subcommand!];
    assert.ok(flags, `${replay}: no samples for liftwatch ${subcommand}`);
    const given = args.filter((arg) => arg.startsWith('--')).sort();
    assert.deepEqual(given, Object.keys(flags).sort(), replay);
    for (const file of Object.values(flags)) assert.ok(existsSync(join(repoRoot, file)), file);
  }
});

for (const replay of replays) {
  const [, , subcommand, ...args] = replay.split(' ');
  if (!built) {
    test(`runbook command \`${replay}\` runs on the samples`, {
      skip: 'build/ is missing: run npm run build first',
    });
  } else {
    test(`runbook command \`${replay}\` runs on the samples`, () => {
      assert.ok(offered(subcommand!), `liftwatch --help does not offer ${subcommand}`);
      const flags = samples[subcommand!]!;
      const withSamples = args.map((arg, index) =>
        index > 0 && args[index - 1]! in flags ? flags[args[index - 1]!]! : arg,
      );
      const result = cli([subcommand!, ...withSamples]);
      assert.equal(
        result.status,
        0,
        `node bin/liftwatch.js ${subcommand} ${withSamples.join(' ')}\n${result.stderr}`,
      );
      assert.equal(typeof JSON.parse(result.stdout), 'object');
    });
  }
}
