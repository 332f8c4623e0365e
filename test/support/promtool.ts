/**
 * Runs `promtool test rules` (Debian package `prometheus`; .ci/run installs it) on rule and test files written
 * to a temporary folder. promtool evaluates the rules in Prometheus's own engine at the group's interval and
 * compares the alerts firing at each eval_time with the expected ones, labels included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PrometheusRuleFile } from '../../alerting/prometheusRules.js';

export const promtoolPath = (() => {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
})();

export interface InputSeries {
  series: string;
  values: string;
}

export interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string> }[];
}

export interface RuleTest {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: AlertTest[];
}

export interface PromtoolRun {
  ok: boolean;
  output: string;
}

/** One promtool run: the rules, and the tests judged against them. */
export function promtoolTest(
  rules: PrometheusRuleFile,
  tests: RuleTest[],
  evaluationInterval: string,
): PromtoolRun {
  if (!promtoolPath)
    throw new Error('promtool is not installed (Debian package prometheus; .ci/run installs it)');
  const folder = mkdtempSync(path.join(tmpdir(), 'liftwatch-promtool-'));
  try {
    const rulesFile = path.join(folder, 'rules.json');
    const testsFile = path.join(folder, 'tests.json');
    writeFileSync(rulesFile, JSON.stringify(rules, null, 2));
    writeFileSync(
      testsFile,
      JSON.stringify({ rule_files: [rulesFile], evaluation_interval: evaluationInterval, tests }, null, 2),
    );
    const run = spawnSync(promtoolPath, ['test', 'rules', testsFile], { encoding: 'utf8', timeout: 60_000 });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A promtool series selector: name{labels}. */
export function seriesSelector(name: string, labels: Record<string, string>): string {
  const inner = Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',');
  return `${name}{${inner}}`;
}

/**
 * promtool's values notation for points at the given offsets (ms from 0) on a grid of `intervalMs`: `_` where
 * there is no point.
 */
export function valuesAt(points: readonly { atMs: number; value: number }[], intervalMs: number): string {
  const slots = new Map(points.map((point) => [point.atMs / intervalMs, point.value]));
  const last = Math.max(...slots.keys());
  const values: string[] = [];
  for (let slot = 0; slot <= last; slot++) {
    if (!Number.isInteger(slot)) throw new RangeError('points must lie on the interval grid');
    const value = slots.get(slot);
    values.push(value === undefined ? '_' : String(value));
  }
  return values.join(' ');
}
