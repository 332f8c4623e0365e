/**
 * The log-based metrics and their alerts (terraform/logging_metrics.tf, terraform/log_alerts.tf) against the
 * code whose lines they count: the reason and event values the code can log, the metrics' filters and label
 * extractors evaluated on real log lines of the functions, the alert windows, and the runbooks' replay commands
 * run on the samples.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { alertCatalog, conditionMetrics } from '../../alerting/alerts.js';
import '../../functions/index.js';
import { main as liftwatchCli } from '../../cli/liftwatch.js';
import { ModelName } from '../../shared/contracts/common.js';
import { handleDelivery, type MessagePublishedData } from '../../shared/delivery.js';
import * as errors from '../../shared/errors.js';
import { catalog } from '../../shared/monitoring/catalog.js';
import { reportNonFinite } from '../../shared/monitors/report.js';
import { windowIdentity } from '../../shared/monitors/window.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { baseline, campaignResults, json, outcomeBatch, predictionBatch } from '../support/messages.js';
import { useTestRuntime } from '../support/runtime.js';
import { type Block, type Body, readConfig, repoRoot, tf } from './support/hcl.js';

const config = await readConfig();

interface LogMetricSpec {
  display_name: string;
  description: string;
  filter: string;
  reason_field: string;
}
interface LogAlertSpec {
  only_for_monitors: string[];
  severity: string;
  metric: string;
  reasons: string[];
  window_seconds: number;
  duration_seconds: number;
  group_by: string[];
  display_name: string;
  condition: string;
  subject: string;
  content: string;
}

const logReasons = config.locals.get('log_reasons') as Record<string, string | null>;
const logMetrics = config.locals.get('log_metrics') as Record<string, LogMetricSpec>;
const logAlerts = config.locals.get('log_alerts') as Record<string, LogAlertSpec>;
const functions = config.locals.get('functions') as Record<
  string,
  { monitor: string; slug: string; topic: string }
>;
const replayCommands = config.locals.get('log_replay_commands') as Record<string, string>;
const countedBy = (metric: string) =>
  Object.keys(logReasons)
    .filter((reason) => logReasons[reason] === metric)
    .sort();
const resource = (type: string, name: string): Block => {
  const found = config.resources.find((block) => block.type === type && block.name === name);
  assert.ok(found, `terraform/ has no ${type}.${name}`);
  return found;
};

// ---------------------------------------------------------------------------------------------------------
// What the code logs: reason and event values, read from the source (and, for the errors, from the classes).

type Severity = 'DEFAULT' | 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';
const SEVERITIES: Severity[] = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL'];
const rank = (severity: string) => SEVERITIES.indexOf(severity as Severity);

/** The TypeScript sources of the deployed code: shared/ and functions/. */
function codeSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const dir of ['shared', 'functions']) {
    for (const file of readdirSync(join(repoRoot, dir), { recursive: true }) as string[]) {
      if (file.endsWith('.ts'))
        sources.set(`${dir}/${file}`, readFileSync(join(repoRoot, dir, file), 'utf8'));
    }
  }
  return sources;
}

const BRACKETS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the quote closing the string that opens at `start`. */
function endOfQuoted(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  throw new Error(`unterminated string at ${start}`);
}

/** Index of the backtick closing the template literal that opens at `start`, its ${...} parts included. */
function endOfTemplate(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '`') return i;
    else if (source.startsWith('${', i)) i = closingBracket(source, i + 1);
  }
  throw new Error(`unterminated template at ${start}`);
}

/** Index of the bracket closing the one at `open`, skipping strings, template literals and comments. */
function closingBracket(source: string, open: number): number {
  const closers: string[] = [];
  for (let i = open; i < source.length; i++) {
    const char = source[i]!;
    if (char === "'" || char === '"') i = endOfQuoted(source, i);
    else if (char === '`') i = endOfTemplate(source, i);
    else if (source.startsWith('//', i))
      i = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
    else if (source.startsWith('/*', i)) i = source.indexOf('*/', i) + 1;
    else if (BRACKETS[char]) closers.push(BRACKETS[char]);
    else if (char === ')' || char === ']' || char === '}') {
      assert.equal(closers.pop(), char, `unbalanced ${char} at ${i}`);
      if (closers.length === 0) return i;
    }
  }
  throw new Error(`nothing closes the bracket at ${open}`);
}

/** The top-level arguments of the call whose parenthesis opens at `open`. */
function callArguments(source: string, open: number): string[] {
  const close = closingBracket(source, open);
  const parts: string[] = [];
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const char = source[i]!;
    if (char === "'" || char === '"') i = endOfQuoted(source, i);
    else if (char === '`') i = endOfTemplate(source, i);
    else if (BRACKETS[char]) i = closingBracket(source, i);
    else if (char === ',') {
      parts.push(source.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(source.slice(start, close).trim());
  return parts.filter((part) => part !== '');
}

const literals = (text: string) => [...text.matchAll(/'([A-Za-z_]+)'/g)].map((match) => match[1]!);
const TERNARY = /^(.+?)\s*\?\s*'(\w+)'\s*:\s*'(\w+)'$/s;

/** value => the severities it may be logged at. */
type Logged = Map<string, Set<string>>;

function addLogged(logged: Logged, value: string, severities: Iterable<string>): void {
  const set = logged.get(value) ?? new Set<string>();
  for (const severity of severities) set.add(severity);
  logged.set(value, set);
}

/**
 * Every `event` and `reason` string literal passed to a log call (delivery.log or log), with the severities of
 * the call. A ternary severity and a ternary value on the same condition are paired, branch by branch.
 */
function loggedLiterals(sources: Map<string, string>): Logged {
  const logged: Logged = new Map();
  for (const source of sources.values()) {
    for (const call of source.matchAll(/(?:\bdelivery\.|(?<![\w.]))log\(/g)) {
      const [severityArgument = '', ...rest] = callArguments(source, call.index + call[0].length - 1);
      const severities = literals(severityArgument).filter((word) => rank(word) >= 0);
      for (const property of rest.join(',\n').matchAll(/\b(?:event|reason):\s*([^,\n]+)/g)) {
        const value = property[1]!.trim();
        const pairedSeverity = TERNARY.exec(severityArgument);
        const pairedValue = TERNARY.exec(value);
        if (pairedSeverity && pairedValue && pairedSeverity[1] === pairedValue[1]) {
          addLogged(logged, pairedValue[2]!, [pairedSeverity[2]!]);
          addLogged(logged, pairedValue[3]!, [pairedSeverity[3]!]);
        } else {
          for (const literal of literals(value)) addLogged(logged, literal, severities);
        }
      }
    }
  }
  return logged;
}

/** The reasons the PermanentError subclasses of errors.ts declare (`override readonly reason = '...'`). */
const declaredReasons = (errorsSource: string) =>
  [...errorsSource.matchAll(/override\s+readonly\s+reason\s*=\s*'([a-z_]+)'/g)]
    .map((match) => match[1]!)
    .sort();

/** The reason of every PermanentError subclass that shared/errors.ts exports, read from an instance. */
function instantiatedReasons(): string[] {
  const reasons: string[] = [];
  for (const [name, value] of Object.entries(errors)) {
    if (typeof value !== 'function' || !(value.prototype instanceof errors.PermanentError)) continue;
    // Arguments every constructor accepts today (issues and claimed, or model and version, or a message).
    let instance: errors.PermanentError;
    try {
      instance = Reflect.construct(value, [[], {}]) as errors.PermanentError;
    } catch (error) {
      assert.fail(`${name} cannot be built from ([], {}) (${String(error)}): give this test its arguments`);
    }
    assert.ok(instance.reason, `${name} has no reason`);
    reasons.push(instance.reason);
  }
  return reasons.sort();
}

/**
 * Everything the code can log as a reason or event: the literals of the log calls, and the reason of every
 * PermanentError subclass, which handleDelivery logs (as `reason: error.reason`) at the severity of its call.
 */
function codeLogValues(sources: Map<string, string>): Logged {
  const logged = loggedLiterals(sources);
  const delivery = sources.get('shared/delivery.ts')!;
  const refusal = [...delivery.matchAll(/\bdelivery\.log\(/g)]
    .map((call) => callArguments(delivery, call.index + call[0].length - 1))
    .find((args) => args.some((arg) => /reason:\s*error\.reason/.test(arg)));
  assert.ok(refusal, 'handleDelivery no longer logs reason: error.reason');
  const refusalSeverities = literals(refusal[0]!);
  for (const reason of declaredReasons(sources.get('shared/errors.ts')!))
    addLogged(logged, reason, refusalSeverities);
  // The base class's own reason reaches the logs only when it is thrown as is.
  if ([...sources.values()].some((source) => /new PermanentError\(/.test(source)))
    addLogged(logged, 'permanent', refusalSeverities);
  return logged;
}

const missingFromTerraform = (logged: Logged) =>
  [...logged.keys()].filter((value) => !(value in logReasons)).sort();

test('the extraction finds every reason and event the code logs today, at its severity', () => {
  const logged = codeLogValues(codeSources());
  const severities = (value: string) => [...(logged.get(value) ?? [])].sort();
  for (const reason of ['invalid_message', 'unknown_baseline', 'unwritable', 'retryable'])
    assert.deepEqual(severities(reason), ['ERROR'], reason);
  assert.deepEqual(severities('points_rejected'), ['ERROR']);
  for (const event of ['statistics_not_finite', 'fit_not_converged', 'baseline_stale'])
    assert.deepEqual(severities(event), ['WARNING'], event);
  assert.deepEqual(severities('insufficient_data'), ['NOTICE']);
  assert.deepEqual(severities('slope_withheld'), ['NOTICE']);
  assert.deepEqual(severities('points_written'), ['INFO', 'NOTICE']);
  assert.deepEqual(severities('baseline_registered'), ['INFO']);
  assert.deepEqual(severities('campaign_lift'), ['INFO']);
});

test('the reasons read from errors.ts are those of the PermanentError classes it exports', () => {
  const fromSource = declaredReasons(readFileSync(join(repoRoot, 'shared/errors.ts'), 'utf8'));
  assert.deepEqual(fromSource, instantiatedReasons());
  assert.deepEqual(fromSource, ['binning_mismatch', 'invalid_message', 'unknown_baseline', 'unwritable']);
});

test('local.log_reasons lists exactly the reasons and events the code logs', () => {
  const logged = codeLogValues(codeSources());
  assert.deepEqual(
    missingFromTerraform(logged),
    [],
    'add them to local.log_reasons in terraform/logging_metrics.tf',
  );
  assert.deepEqual(
    Object.keys(logReasons).filter((value) => !logged.has(value)),
    [],
    'local.log_reasons names values the code no longer logs',
  );
});

test('whatever the code logs at WARNING or above is counted by a log-based metric', () => {
  const logged = codeLogValues(codeSources());
  const uncounted = [...logged]
    .filter(([, severities]) => [...severities].some((severity) => rank(severity) >= rank('WARNING')))
    .map(([value]) => value)
    .filter((value) => logReasons[value] === null);
  assert.deepEqual(uncounted, []);
  for (const value of Object.keys(logReasons))
    assert.ok(
      logReasons[value] === null || logReasons[value]! in logMetrics,
      `${value}: no metric ${logReasons[value]}`,
    );
});

test('a reason or event added to the code but not to Terraform fails the comparison', () => {
  const sources = codeSources();
  sources.set(
    'shared/errors.ts',
    `${sources.get('shared/errors.ts')}\nexport class QuotaError extends PermanentError {\n  override readonly reason = 'quota_exceeded';\n}\n`,
  );
  sources.set(
    'shared/monitors/report.ts',
    `${sources.get('shared/monitors/report.ts')}\nexport function reportDropped(delivery: Delivery): void {\n  delivery.log('WARNING', 'dropped', { event: 'points_dropped' });\n}\n`,
  );
  const before = new Set(missingFromTerraform(codeLogValues(codeSources())));
  const added = missingFromTerraform(codeLogValues(sources)).filter((value) => !before.has(value));
  assert.deepEqual(added, ['points_dropped', 'quota_exceeded']);
});

// ---------------------------------------------------------------------------------------------------------
// The metrics' filters and label extractors, rendered from the Terraform and evaluated on real log lines.

/** A log entry as Cloud Logging stores a structured line of a gen2 function (shared/log.ts). */
interface LogEntry {
  severity: string;
  resource: { type: string; labels: Record<string, string> };
  jsonPayload: Record<string, unknown>;
}

/** The Cloud Run service a function's logs come from, as functions.tf names the function. */
const serviceOf = (entryPoint: string) => `liftwatch-${functions[entryPoint]!.slug}`;

// The derived locals are expressions the test cannot run: it computes them itself (and checks their text below).
const replayList = Object.entries(functions)
  .map(([name, fn]) => `- ${name} (topic \`${fn.topic}\`): \`${replayCommands[name]}\``)
  .join('\n');

/** All the functions are deployed: var.monitors defaults to every monitor. */
const scopeLocals: Record<string, unknown> = {
  ...Object.fromEntries(config.locals),
  log_function_services: Object.keys(functions).map(serviceOf),
  log_metric_reasons: {
    delivery_failures: countedBy('delivery_failures'),
    write_problems: countedBy('write_problems'),
  },
  log_replay_list: replayList,
};
const variableDefaults = Object.fromEntries(
  [...config.variables].map(([name, body]) => [name, body.default]),
);

interface Scope {
  each?: { key: string; value: unknown };
}

function resolve(path: string, scope: Scope): unknown {
  const [root, ...rest] = path.split('.');
  let value: unknown =
    root === 'local' ? scopeLocals : root === 'var' ? variableDefaults : scope[root as keyof Scope];
  for (const key of rest) {
    assert.ok(value && typeof value === 'object' && key in value, `the test cannot resolve ${path}`);
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The value of one interpolation, for the few expression shapes the log metrics and alerts use. */
function evaluate(expression: string, scope: Scope): string {
  const joined = /^join\("([^"]*)", formatlist\("\\"%s\\"", ([\w.]+)\)\)$/.exec(expression);
  if (joined) {
    const list = resolve(joined[2]!, scope);
    assert.ok(Array.isArray(list), `${joined[2]} is not a list`);
    return list.map((item) => `"${item}"`).join(joined[1]!);
  }
  if (expression === 'google_logging_metric.liftwatch[each.value.metric].name') {
    assert.ok(scope.each, expression);
    const { metric } = scope.each.value as LogAlertSpec;
    return render(String(resource('google_logging_metric', 'liftwatch').body.name), {
      each: { key: metric, value: logMetrics[metric] },
    });
  }
  assert.match(expression, /^[\w.]+$/, `the test cannot evaluate \${${expression}}`);
  const value = resolve(expression, scope);
  assert.ok(typeof value === 'string' || typeof value === 'number', `${expression} is not a string`);
  return typeof value === 'string' ? render(value, scope) : String(value);
}

/** A Terraform string with its interpolations evaluated; `$${` stays a literal `${`. */
function render(text: string, scope: Scope): string {
  return text.replace(/\$\$\{|\$\{([^}]*)\}/g, (_, expression: string | undefined) =>
    expression === undefined ? '${' : evaluate(expression, scope),
  );
}

// A parser and evaluator for the part of the Logging query language the filters use: AND, OR, NOT,
// parentheses, field = value, field = (value OR value), field >= value (severity), field:* (presence).
type Filter = (entry: LogEntry) => boolean;

function tokenize(filter: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*("(?:[^"\\]|\\.)*"|>=|[=:*()]|[A-Za-z0-9_.-]+)/gy;
  let match: RegExpExecArray | null;
  let last = 0;
  for (match = pattern.exec(filter); match; match = pattern.exec(filter)) {
    tokens.push(match[1]!);
    last = pattern.lastIndex;
  }
  assert.equal(filter.slice(last).trim(), '', `cannot read the filter from: ${filter.slice(last)}`);
  return tokens;
}

function fieldValue(entry: LogEntry, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      entry,
    );
}

function equalsValue(actual: unknown, expected: string): boolean {
  if (typeof actual === 'number') return Number(expected) === actual;
  if (typeof actual === 'boolean') return String(actual) === expected;
  return typeof actual === 'string' && actual === expected;
}

function parseFilter(filter: string): Filter {
  const tokens = tokenize(filter);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    assert.ok(token !== undefined, `the filter ends early: ${filter}`);
    if (expected !== undefined) assert.equal(token, expected, filter);
    return token;
  };
  const literal = (token: string) => (token.startsWith('"') ? (JSON.parse(token) as string) : token);
  const values = (): string[] => {
    if (peek() !== '(') return [literal(take())];
    take('(');
    const list = [literal(take())];
    while (peek() === 'OR') {
      take('OR');
      list.push(literal(take()));
    }
    take(')');
    return list;
  };
  const comparison = (): Filter => {
    const field = take();
    assert.match(field, /^[a-z][A-Za-z_.]*$/, `not a field: ${field}`);
    const operator = take();
    if (operator === ':') {
      take('*');
      return (entry) => fieldValue(entry, field) !== undefined;
    }
    const expected = values();
    if (operator === '>=') {
      assert.equal(field, 'severity', 'the evaluator orders severities only');
      return (entry) => expected.some((value) => rank(entry.severity) >= rank(value));
    }
    assert.equal(operator, '=', `operator ${operator} is not supported by the evaluator`);
    return (entry) => expected.some((value) => equalsValue(fieldValue(entry, field), value));
  };
  const unary = (): Filter => {
    if (peek() === 'NOT') {
      take();
      const inner = unary();
      return (entry) => !inner(entry);
    }
    if (peek() === '(') {
      take('(');
      const inner = disjunction();
      take(')');
      return inner;
    }
    return comparison();
  };
  const conjunction = (): Filter => {
    const terms = [unary()];
    while (peek() === 'AND') {
      take();
      terms.push(unary());
    }
    return (entry) => terms.every((term) => term(entry));
  };
  const disjunction = (): Filter => {
    const terms = [conjunction()];
    while (peek() === 'OR') {
      take();
      terms.push(conjunction());
    }
    return (entry) => terms.some((term) => term(entry));
  };
  const parsed = disjunction();
  assert.equal(at, tokens.length, `unread filter tokens: ${tokens.slice(at).join(' ')}`);
  return parsed;
}

/** EXTRACT(field) and REGEXP_EXTRACT(field, "re"): the label value, '' when the field or the match is missing. */
function parseExtractor(extractor: string): (entry: LogEntry) => string {
  const extract = /^EXTRACT\(([\w.]+)\)$/.exec(extractor);
  if (extract) {
    return (entry) => {
      const value = fieldValue(entry, extract[1]!);
      return value === undefined ? '' : String(value);
    };
  }
  const regexp = /^REGEXP_EXTRACT\(([\w.]+), "(.*)"\)$/.exec(extractor);
  assert.ok(regexp, `unsupported extractor ${extractor}`);
  const pattern = new RegExp(regexp[2]!);
  return (entry) => {
    const value = fieldValue(entry, regexp[1]!);
    return value === undefined ? '' : (pattern.exec(String(value))?.[1] ?? '');
  };
}

interface Counted {
  metric: string;
  function: string;
  reason: string;
  model: string;
}

const metricBody = resource('google_logging_metric', 'liftwatch').body;
const compiledMetrics = Object.keys(logMetrics).map((key) => {
  const scope = { each: { key, value: logMetrics[key] } };
  const extractors = metricBody.label_extractors as Record<string, string>;
  return {
    key,
    filter: render(String(metricBody.filter), scope),
    matches: parseFilter(render(String(metricBody.filter), scope)),
    labels: Object.fromEntries(
      Object.entries(extractors).map(([label, extractor]) => [
        label,
        parseExtractor(render(extractor, scope)),
      ]),
    ),
  };
});

/** The counts the log-based metrics record for these entries, one per matching (entry, metric). */
function countsOf(entries: LogEntry[]): Counted[] {
  return entries.flatMap((entry) =>
    compiledMetrics
      .filter((metric) => metric.matches(entry))
      .map((metric) => ({
        metric: metric.key,
        function: metric.labels.function!(entry),
        reason: metric.labels.reason!(entry),
        model: metric.labels.model!(entry),
      })),
  );
}

/** A captured log line as Cloud Logging stores it: severity and time promoted, the rest in jsonPayload. */
function entryOf(line: Record<string, unknown>, service = serviceOf(String(line.function))): LogEntry {
  const { severity, time: _time, ...jsonPayload } = line;
  return {
    severity: String(severity),
    resource: { type: 'cloud_run_revision', labels: { service_name: service } },
    jsonPayload,
  };
}

test('the derived locals are the expressions this test computes', () => {
  const functionsTf = resource('google_cloudfunctions2_function', 'monitor').body;
  assert.equal(
    functionsTf.name,
    `liftwatch-${tf('each.value.slug')}`,
    'a function is the Cloud Run service of its name',
  );
  assert.equal(functionsTf.for_each, tf('local.deployed_functions'));
  assert.equal(
    config.locals.get('log_function_services'),
    tf('[for function in google_cloudfunctions2_function.monitor : function.name]'),
  );
  assert.match(
    String(config.locals.get('log_metric_reasons')),
    /for metric in \["delivery_failures", "write_problems"\] :\s+metric => sort\(\[for reason, counted_by in local\.log_reasons : reason if counted_by == metric\]\)/,
  );
  assert.match(
    String(config.locals.get('log_replay_list')),
    /for name, fn in local\.functions : "- \$\{name\} \(topic `\$\{fn\.topic\}`\): `\$\{local\.log_replay_commands\[name\]\}`"/,
  );
});

test("the metrics read only the deployed functions' Cloud Run logs, and the reasons of local.log_reasons", () => {
  for (const metric of compiledMetrics) {
    assert.ok(
      metric.filter.startsWith(
        `resource.type="cloud_run_revision" AND resource.labels.service_name=("${Object.keys(functions).map(serviceOf).join('" OR "')}") AND `,
      ),
      metric.filter,
    );
  }
  const delivery = compiledMetrics.find((metric) => metric.key === 'delivery_failures')!.filter;
  assert.match(
    delivery,
    /jsonPayload\.reason=\("binning_mismatch" OR "invalid_message" OR "retryable" OR "unknown_baseline" OR "unwritable"\)$/,
  );
  assert.match(metricBody.name as string, /^liftwatch\/\$\{each\.key\}$/);
  assert.equal(metricBody.for_each, tf('local.log_metrics'));
});

test('each metric is a DELTA INT64 counter whose every label has an extractor', () => {
  const descriptor = (metricBody.metric_descriptor as Body[])[0]!;
  assert.deepEqual([descriptor.metric_kind, descriptor.value_type, descriptor.unit], ['DELTA', 'INT64', '1']);
  assert.deepEqual(
    (descriptor.labels as Body[]).map((label) => label.key).sort(),
    Object.keys(metricBody.label_extractors as object).sort(),
  );
  assert.deepEqual(Object.keys(metricBody.label_extractors as object).sort(), [
    'function',
    'model',
    'reason',
  ]);
});

test('the model extractor keeps exactly the model names the contract accepts', () => {
  const extractor = render(String((metricBody.label_extractors as Record<string, string>).model), {});
  const pattern = /^REGEXP_EXTRACT\(jsonPayload\.model, "\^\((.*)\)\$"\)$/.exec(extractor);
  assert.ok(pattern, extractor);
  const check = ModelName.def.checks?.[0] as unknown as { _zod: { def: { pattern: RegExp } } } | undefined;
  assert.ok(check, 'ModelName has no pattern check');
  const contract = check._zod.def.pattern;
  assert.equal(`^${pattern[1]}$`, contract.source, 'the extractor and ModelName must use the same pattern');
});

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;
const handler = (name: string) => getFunction(name) as Handler;
const now = new Date('2026-11-26T15:30:00Z');
const windowEnd = '2026-11-26T15:00:00Z';
const harness = useTestRuntime(() => ({ now: () => now }));

const registerBaseline = () => handler('registerBaseline')(pubsubEvent(json(baseline())));
/** The sample messages of the features monitor (test/samples, as the runbooks replay them). */
const featureSample = (name: 'feature-baseline' | 'feature-batch') =>
  JSON.parse(readFileSync(join(repoRoot, `test/samples/${name}.json`), 'utf8')) as Record<string, unknown>;
const driftBatch = (overrides: Record<string, unknown> = {}) =>
  pubsubEvent(json(predictionBatch({ windowEnd, ...overrides })));
/** Cloud Monitoring refusing a request with this status text (gRPC INVALID_ARGUMENT). */
const refuseWrites = (details: string) => {
  harness.runtime.monitoring.createTimeSeries = async () => {
    throw Object.assign(new Error('3 INVALID_ARGUMENT'), { code: 3, details });
  };
};
const counted = (metric: string, fn: string, reason: string, model = 'promo-lift'): Counted => ({
  metric,
  function: fn,
  reason,
  model,
});

interface Scenario {
  name: string;
  run(): Promise<unknown>;
  /** [severity, event or reason] of lines the scenario must log. */
  logs: [Severity, string][];
  counts: Counted[];
  check?(lines: Record<string, unknown>[]): void;
}

const scenarios: Scenario[] = [
  {
    name: 'an invalid prediction batch counts as invalid_message of the model it claims',
    run: () => handler('driftMonitor')(driftBatch({ predictions: 'not numbers' })),
    logs: [['ERROR', 'invalid_message']],
    counts: [counted('delivery_failures', 'driftMonitor', 'invalid_message')],
  },
  {
    name: 'an invalid message claiming a model outside the contract counts under the empty model',
    run: () => handler('driftMonitor')(driftBatch({ model: 'Promo Lift"; DROP', predictions: null })),
    logs: [['ERROR', 'invalid_message']],
    counts: [counted('delivery_failures', 'driftMonitor', 'invalid_message', '')],
    check: (lines) => assert.equal(lines.at(-1)?.model, 'Promo Lift"; DROP', 'the claim is logged as is'),
  },
  {
    name: 'an empty message counts under the empty model',
    run: () => handler('calibrationMonitor')(pubsubEvent(Buffer.alloc(0))),
    logs: [['ERROR', 'invalid_message']],
    counts: [counted('delivery_failures', 'calibrationMonitor', 'invalid_message', '')],
  },
  {
    name: 'a batch of a version with no baseline counts as unknown_baseline',
    run: () => handler('driftMonitor')(driftBatch()),
    logs: [['ERROR', 'unknown_baseline']],
    counts: [counted('delivery_failures', 'driftMonitor', 'unknown_baseline')],
  },
  {
    name: "a binned window counted in another registration's bins counts as binning_mismatch",
    run: async () => {
      await registerBaseline();
      await handler('driftMonitor')(
        driftBatch({ predictions: undefined, binCounts: { binning: '0123456789abcdef', counts: [5, 7] } }),
      );
    },
    logs: [['ERROR', 'binning_mismatch']],
    counts: [counted('delivery_failures', 'driftMonitor', 'binning_mismatch')],
  },
  {
    name: 'a window that ended more than 25 hours ago counts as unwritable',
    run: () =>
      handler('liftMonitor')(pubsubEvent(json(campaignResults({ windowEnd: '2026-11-24T15:00:00Z' })))),
    logs: [['ERROR', 'unwritable']],
    counts: [counted('delivery_failures', 'liftMonitor', 'unwritable')],
  },
  {
    name: 'a failure Pub/Sub redelivers (Firestore unavailable) counts as retryable',
    run: async () => {
      await registerBaseline();
      harness.runtime.baselines.failNext = 1;
      await assert.rejects(handler('driftMonitor')(driftBatch()), /UNAVAILABLE/);
    },
    logs: [['ERROR', 'retryable']],
    counts: [counted('delivery_failures', 'driftMonitor', 'retryable')],
  },
  {
    name: 'a batch below the minimum sample counts as insufficient_data, its written points do not count',
    run: async () => {
      await registerBaseline();
      await handler('driftMonitor')(driftBatch({ predictions: [0.1, 0.2, 0.3] }));
    },
    logs: [
      ['NOTICE', 'insufficient_data'],
      ['INFO', 'points_written'],
    ],
    counts: [counted('write_problems', 'driftMonitor', 'insufficient_data')],
  },
  {
    name: 'a redelivered batch, whose points Cloud Monitoring already holds, counts nothing',
    run: async () => {
      await registerBaseline();
      const event = driftBatch();
      await handler('driftMonitor')(event);
      await handler('driftMonitor')(event);
    },
    logs: [
      ['INFO', 'points_written'],
      ['NOTICE', 'points_written'],
    ],
    counts: [],
  },
  {
    name: 'a message whose every point Cloud Monitoring rejects counts as points_rejected and nothing_written',
    run: async () => {
      await registerBaseline();
      harness.runtime.monitoring.injectFault({ code: 3 });
      await handler('driftMonitor')(driftBatch());
    },
    logs: [['ERROR', 'points_rejected']],
    counts: [
      counted('write_problems', 'driftMonitor', 'points_rejected'),
      counted('nothing_written', 'driftMonitor', 'points_rejected'),
    ],
  },
  {
    name: 'a message with one point rejected and the others written counts as points_rejected only',
    run: async () => {
      await registerBaseline();
      refuseWrites(
        'One or more TimeSeries could not be written: Field timeSeries[0] had an invalid value: timeSeries[0]',
      );
      await handler('driftMonitor')(driftBatch());
    },
    logs: [['ERROR', 'points_rejected']],
    counts: [counted('write_problems', 'driftMonitor', 'points_rejected')],
  },
  {
    name: 'a redelivery whose other points were written before is not nothing_written',
    run: async () => {
      await registerBaseline();
      refuseWrites(
        'One or more TimeSeries could not be written: Field timeSeries[0] had an invalid value: timeSeries[0]; Points must be written in order. One or more of the points specified had an older end time than the most recent point.: timeSeries[1-9]',
      );
      await handler('driftMonitor')(driftBatch());
    },
    logs: [['ERROR', 'points_rejected']],
    counts: [counted('write_problems', 'driftMonitor', 'points_rejected')],
  },
  {
    name: 'a statistic that is not finite counts as statistics_not_finite',
    run: () =>
      handleDelivery('upliftMonitor', pubsubEvent(json({})), async (delivery) => {
        windowIdentity(delivery, { model: 'promo-lift', modelVersion: 'v3.1', windowEnd }, harness.runtime);
        reportNonFinite(delivery, { n: 1000, qiniAuc: Number.NaN });
      }),
    logs: [['WARNING', 'statistics_not_finite']],
    counts: [counted('write_problems', 'upliftMonitor', 'statistics_not_finite')],
  },
  {
    name: 'outcomes separated by the predictions count as fit_not_converged, not as a refusal',
    run: () => {
      const predictions = Array.from({ length: 400 }, (_, i) => 0.02 + (0.5 * ((i * 37) % 100)) / 100);
      const outcomes = predictions.map((p) => (p > 0.27 ? 1 : 0));
      return handler('calibrationMonitor')(
        pubsubEvent(json(outcomeBatch({ windowEnd, predictions, outcomes }))),
      );
    },
    logs: [
      ['WARNING', 'fit_not_converged'],
      ['INFO', 'points_written'],
    ],
    counts: [counted('write_problems', 'calibrationMonitor', 'fit_not_converged')],
  },
  {
    name: 'a judged batch with too few conversions for a slope counts as slope_withheld',
    run: () => {
      const predictions = Array.from({ length: 400 }, (_, i) => 0.02 + (0.5 * ((i * 37) % 100)) / 100);
      const outcomes = predictions.map((_, i) => (i % 80 === 7 ? 1 : 0));
      return handler('calibrationMonitor')(
        pubsubEvent(json(outcomeBatch({ windowEnd, predictions, outcomes }))),
      );
    },
    logs: [
      ['NOTICE', 'slope_withheld'],
      ['INFO', 'points_written'],
    ],
    counts: [counted('write_problems', 'calibrationMonitor', 'slope_withheld')],
  },
  {
    name: 'a late older baseline registration counts as baseline_stale, the registration before it not at all',
    run: async () => {
      await registerBaseline();
      const older = json(baseline({ predictions: [1, 2, 3], predictionsF32: undefined }));
      await handler('registerBaseline')(
        pubsubEvent(older, { publishTime: new Date('2020-01-01T00:00:00Z') }),
      );
    },
    logs: [
      ['INFO', 'baseline_registered'],
      ['WARNING', 'baseline_stale'],
    ],
    counts: [counted('write_problems', 'registerBaseline', 'baseline_stale')],
  },
  {
    name: 'a late older feature baseline registration counts as feature_baseline_stale',
    run: async () => {
      await handler('registerFeatureBaseline')(pubsubEvent(json(featureSample('feature-baseline'))));
      await handler('registerFeatureBaseline')(
        pubsubEvent(json(featureSample('feature-baseline')), {
          publishTime: new Date('2020-01-01T00:00:00Z'),
        }),
      );
    },
    logs: [
      ['INFO', 'feature_baseline_registered'],
      ['WARNING', 'feature_baseline_stale'],
    ],
    counts: [counted('write_problems', 'registerFeatureBaseline', 'feature_baseline_stale')],
  },
  {
    name: 'a feature batch without a feature baseline counts as unknown_baseline of featureMonitor',
    run: () => handler('featureMonitor')(pubsubEvent(json(featureSample('feature-batch')))),
    logs: [['ERROR', 'unknown_baseline']],
    counts: [counted('delivery_failures', 'featureMonitor', 'unknown_baseline')],
  },
  {
    name: 'a feature batch that is written logs its ranked features and counts nothing',
    run: async () => {
      await handler('registerFeatureBaseline')(pubsubEvent(json(featureSample('feature-baseline'))));
      await handler('featureMonitor')(pubsubEvent(json(featureSample('feature-batch'))));
    },
    logs: [
      ['INFO', 'feature_baseline_registered'],
      ['INFO', 'feature_drift'],
      ['INFO', 'points_written'],
    ],
    counts: [],
  },
  {
    name: 'campaign results that are written count nothing',
    run: () => handler('liftMonitor')(pubsubEvent(json(campaignResults({ windowEnd })))),
    logs: [
      ['INFO', 'campaign_lift'],
      ['INFO', 'points_written'],
    ],
    counts: [],
  },
];

for (const scenario of scenarios) {
  test(scenario.name, async () => {
    await scenario.run();
    const lines = harness.logs.map((line) => [line.severity, line.event ?? line.reason]);
    for (const expected of scenario.logs)
      assert.ok(
        lines.some((line) => line[0] === expected[0] && line[1] === expected[1]),
        `no ${expected.join(' ')} line in ${JSON.stringify(lines)}`,
      );
    const sorted = (counts: Counted[]) => counts.map((count) => JSON.stringify(count)).sort();
    assert.deepEqual(sorted(countsOf(harness.logs.map((line) => entryOf(line)))), sorted(scenario.counts));
    scenario.check?.(harness.logs);
  });
}

test('every reason a metric counts is produced by a scenario above', () => {
  const produced = new Set(scenarios.flatMap((scenario) => scenario.counts.map((count) => count.reason)));
  assert.deepEqual(
    Object.keys(logReasons).filter((reason) => logReasons[reason] !== null && !produced.has(reason)),
    [],
  );
});

test('the same refusal logged by another service, or as a plain line, is not counted', async () => {
  await handler('driftMonitor')(driftBatch({ predictions: 'not numbers' }));
  const refusal = harness.logs.at(-1)!;
  assert.equal(countsOf([entryOf(refusal)]).length, 1);
  assert.deepEqual(countsOf([entryOf(refusal, 'billing-api')]), []);
  const { acknowledged: _, ...unacknowledged } = refusal;
  assert.deepEqual(
    countsOf([entryOf(unacknowledged)]),
    [],
    'a line without acknowledged is no delivery failure',
  );
  assert.deepEqual(countsOf([entryOf({ ...refusal, severity: 'INFO' })]), []);
});

// ---------------------------------------------------------------------------------------------------------
// The alert policies.

const policy = resource('google_monitoring_alert_policy', 'logs').body;
const condition = ((policy.conditions as Body[])[0]!.condition_threshold as Body[])[0]!;

test('the alert policies use threshold conditions on the log-based metrics, counting exactly per window', () => {
  assert.equal(policy.for_each, tf('local.deployed_log_alerts'));
  assert.equal(policy.notification_channels, tf('local.channels_by_severity[each.value.severity]'));
  assert.deepEqual(policy.user_labels, {
    app: 'liftwatch',
    alert: tf('each.key'),
    severity: tf('lower(each.value.severity)'),
  });
  assert.deepEqual([condition.comparison, condition.threshold_value], ['COMPARISON_GT', 0]);
  assert.equal(condition.evaluation_missing_data, 'EVALUATION_MISSING_DATA_INACTIVE');
  const aggregation = (condition.aggregations as Body[])[0]!;
  assert.deepEqual(
    [aggregation.per_series_aligner, aggregation.cross_series_reducer],
    ['ALIGN_SUM', 'REDUCE_SUM'],
  );
  const documentation = (policy.documentation as Body[])[0]!;
  assert.equal(documentation.mime_type, 'text/markdown');
  assert.equal(
    (policy.alert_strategy as Body[])[0]!.auto_close,
    `${tf('var.alert_strategy.auto_close_seconds')}s`,
  );
  for (const [name, alert] of Object.entries(logAlerts)) {
    assert.equal(
      render(String(condition.filter), { each: { key: name, value: alert } }),
      `metric.type="logging.googleapis.com/user/liftwatch/${alert.metric}" AND resource.type="cloud_run_revision" AND metric.label.reason=one_of(${alert.reasons.map((reason) => `"${reason}"`).join(', ')})`,
      name,
    );
  }
});

test("each alert counts reasons its metric records, over whole minutes, grouped by the metric's labels", () => {
  const monitors = new Set(Object.values(functions).map((fn) => fn.monitor));
  for (const [name, alert] of Object.entries(logAlerts)) {
    assert.ok(alert.metric in logMetrics, name);
    const recorded = alert.metric === 'nothing_written' ? ['points_rejected'] : countedBy(alert.metric);
    assert.deepEqual(
      alert.reasons.filter((reason) => !recorded.includes(reason)),
      [],
      name,
    );
    assert.ok(
      alert.group_by.every((label) => ['function', 'model', 'reason'].includes(label)),
      name,
    );
    assert.ok(alert.group_by.includes('model'), `${name}: one incident per model`);
    assert.ok(alert.window_seconds >= 60 && alert.window_seconds % 60 === 0, name);
    assert.ok(alert.duration_seconds % 60 === 0, name);
    assert.ok(['CRITICAL', 'ERROR', 'WARNING'].includes(alert.severity), name);
    assert.ok(
      alert.only_for_monitors.every((monitor) => monitors.has(monitor)),
      name,
    );
  }
});

test('what pages and what is only counted is decided for every reason, and written down in log_alerts.tf', () => {
  const paged = (severity: string) =>
    [
      ...new Set(
        Object.values(logAlerts)
          .filter((alert) => alert.severity === severity)
          .flatMap((alert) => alert.reasons),
      ),
    ].sort();
  assert.deepEqual(paged('WARNING'), [
    'binning_mismatch',
    'invalid_message',
    'points_rejected',
    'statistics_not_finite',
    'unknown_baseline',
    'unwritable',
  ]);
  assert.deepEqual(paged('CRITICAL'), ['points_rejected']);
  assert.equal(logAlerts.nothing_written?.metric, 'nothing_written');
  const header = readFileSync(join(repoRoot, 'terraform/log_alerts.tf'), 'utf8');
  for (const [reason, metric] of Object.entries(logReasons)) {
    if (metric !== null)
      assert.match(
        header,
        new RegExp(`^# - (?:[a-z_]+, )*${reason}\\b`, 'm'),
        `${reason}: say in log_alerts.tf whether it pages`,
      );
  }
});

test("thin data pages through the absence alerts: each monitor's absence metric is alert-bearing, and withheld below the minimum sample unless its alerts read only metrics that are always written", () => {
  const { monitors } = alertCatalog.timing;
  assert.deepEqual(
    Object.keys(monitors).sort(),
    [...new Set(Object.values(functions).map((fn) => fn.monitor))].sort(),
  );
  const entryOf = (name: string) => catalog.metrics.find((metric) => metric.name === name);
  for (const [monitor, { absenceMetric }] of Object.entries(monitors)) {
    const entry = entryOf(absenceMetric);
    assert.ok(entry, `${absenceMetric} is not in the catalog`);
    assert.ok(entry.alertBearing, `${absenceMetric} must be alert-bearing`);
    assert.equal(functions[entry.writtenBy]?.monitor, monitor, absenceMetric);
    // Thin data must not silence an alert without paging: either the absence metric is withheld with the
    // statistics (drift/psi), or nothing the monitor's alerts read is ever withheld (the feature counts).
    const read = alertCatalog.alerts
      .filter((alert) => alert.monitor === monitor)
      .flatMap((alert) => alert.conditions.flatMap(conditionMetrics));
    const withheld = read.filter((name) => !entryOf(name)?.sampleSize);
    assert.ok(
      !entry.sampleSize || withheld.length === 0,
      `${absenceMetric} is written on thin data while ${withheld.join(', ')} are withheld: pick a metric withheld with them`,
    );
  }
});

/**
 * When a condition "count of lines in the trailing window > 0, held for duration" first holds, evaluated each
 * minute, for lines at these minutes; undefined when it never does.
 */
function firesAtMinute(
  lineMinutes: number[],
  windowSeconds: number,
  durationSeconds: number,
): number | undefined {
  let holdingSince: number | undefined;
  const last = Math.max(...lineMinutes) + windowSeconds / 60 + 1;
  for (let minute = 0; minute <= last; minute++) {
    const count = lineMinutes.filter((at) => at <= minute && at > minute - windowSeconds / 60).length;
    if (count === 0) holdingSince = undefined;
    else {
      holdingSince ??= minute;
      if ((minute - holdingSince) * 60 >= durationSeconds) return minute;
    }
  }
  return undefined;
}

test('a refusal, or one burst of them, does not page; refusals that persist do', () => {
  const refused = logAlerts.refused_messages!;
  assert.ok(
    refused.duration_seconds > refused.window_seconds,
    'a single line must not hold the condition long enough',
  );
  const fires = (minutes: number[]) =>
    firesAtMinute(minutes, refused.window_seconds, refused.duration_seconds);
  assert.equal(fires([0]), undefined, 'one refusal');
  assert.equal(fires([0, 1, 2, 3, 5, 8, 13, 21]), undefined, 'a burst over 21 minutes');
  assert.equal(fires([0, 24 * 60]), undefined, 'a daily producer refused twice');
  assert.equal(fires([0, 62]), 120, 'two consecutive hourly windows, the second 2 min late');
  assert.equal(fires([0, 58, 121, 179]), 120, 'hourly windows with jitter');
  assert.equal(fires([0, 10, 20, 30, 40]), 120, 'a message every 10 minutes for 40 minutes');
  for (const [name, alert] of Object.entries(logAlerts)) {
    if (alert.duration_seconds === 0)
      assert.equal(firesAtMinute([0], alert.window_seconds, 0), 0, `${name} pages at once`);
  }
});

test('each runbook explains, lists first checks with a replay command, says how to silence, and fits', () => {
  const longest = {
    model: 'a'.repeat(63),
    reason: Object.keys(logReasons).reduce((a, b) => (a.length >= b.length ? a : b)),
    function: Object.keys(functions).reduce((a, b) => (a.length >= b.length ? a : b)),
  };
  for (const [name, alert] of Object.entries(logAlerts)) {
    const scope = { each: { key: name, value: alert } };
    const content = render(alert.content, scope);
    const subject = render(alert.subject, scope).replace(
      /\$\{metric\.label\.(\w+)\}/g,
      (_, label: keyof typeof longest) => longest[label],
    );
    assert.ok(Buffer.byteLength(subject) <= 255, `${name}: subject over 255 bytes`);
    assert.ok(subject.startsWith(`[liftwatch ${alert.severity}] `), name);
    assert.ok(content.length <= 8192, `${name}: content over 8,192 characters`);
    assert.match(content, /\*\*First checks\*\*\n1\. [\s\S]*\n3\. /, `${name}: fewer than three checks`);
    assert.match(
      content,
      /`npx liftwatch (drift|calibration|lift|uplift|features) /,
      `${name}: no replay command`,
    );
    assert.match(content, /\*\*Silencing\.\*\*/, name);
    for (const [, label] of `${alert.subject}${alert.content}`.matchAll(/\$\$\{metric\.label\.(\w+)\}/g))
      assert.ok(alert.group_by.includes(label!), `${name}: the incident has no label ${label}`);
    assert.doesNotMatch(
      content,
      /\$\{(?!metric\.label\.(function|model|reason)\})/,
      `${name}: unknown variable`,
    );
  }
  const unknownBaseline = render(logAlerts.unknown_baseline!.content, {});
  assert.ok(
    unknownBaseline.includes('gcloud pubsub topics publish baselines --message="$(cat baseline.json)"'),
    'the runbook registers the baseline',
  );
  assert.equal(functions.registerBaseline?.topic, 'baselines');
  assert.equal(functions.driftMonitor?.topic, 'predictions');
  assert.ok(unknownBaseline.includes(`liftwatch-${functions.registerBaseline.slug} --region=europe-west1`));
  // featureMonitor refuses FeatureBatches without a FeatureBaseline with the same reason: the runbook says how.
  assert.deepEqual(logAlerts.unknown_baseline!.only_for_monitors, ['drift', 'features']);
  assert.equal(functions.registerFeatureBaseline?.topic, 'feature-baselines');
  assert.equal(functions.featureMonitor?.topic, 'features');
  assert.ok(
    unknownBaseline.includes(
      'gcloud pubsub topics publish feature-baselines --message="$(cat feature-baseline.json)"',
    ),
  );
  assert.ok(
    unknownBaseline.includes(`liftwatch-${functions.registerFeatureBaseline.slug} --region=europe-west1`),
  );
});

test("the runbooks' replay commands run on the sample messages", () => {
  assert.deepEqual(Object.keys(replayCommands).sort(), Object.keys(functions).sort());
  const samples: Record<string, string> = {
    'drift --baseline': 'test/samples/baseline.json',
    'drift --batch': 'test/samples/prediction-batch.json',
    'bins --baseline': 'test/samples/baseline.json',
    'calibration --batch': 'test/samples/outcome-batch.json',
    'lift --batch': 'test/samples/campaign-results.json',
    'uplift --batch': 'test/samples/uplift-batch.json',
    'features --baseline': 'test/samples/feature-baseline.json',
    'features --batch': 'test/samples/feature-batch.json',
  };
  const commands = new Set(
    Object.entries(logAlerts).flatMap(([name, alert]) =>
      [
        ...render(alert.content, { each: { key: name, value: alert } }).matchAll(/`(npx liftwatch [^`]+)`/g),
      ].map((match) => match[1]!),
    ),
  );
  for (const command of Object.values(replayCommands)) assert.ok(commands.has(command), command);
  for (const command of commands) {
    const [, , subcommand, ...args] = command.split(' ');
    const withSamples = args.map((arg, index) => {
      const sample = samples[`${subcommand} ${args[index - 1]}`];
      return arg.endsWith('.json') && sample ? join(repoRoot, sample) : arg;
    });
    assert.ok(
      withSamples.every((arg) => !arg.endsWith('.json') || arg.startsWith(repoRoot)),
      `${command}: no sample`,
    );
    let stderr = '';
    const status = liftwatchCli(
      [subcommand!, ...withSamples],
      () => {},
      (text) => {
        stderr += text;
      },
    );
    assert.equal(status, 0, `${command}\n${stderr}`);
  }
});
