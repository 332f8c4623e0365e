/**
 * terraform/ against the code it deploys: entry points, metrics, identities and environment variables must
 * agree with functions/, the metric catalog and shared/runtime.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { catalog } from '../../shared/monitoring/catalog.js';
import { isRegistered } from './support/entryPoints.js';
import { type Block, type Body, readConfig, repoRoot, tf } from './support/hcl.js';

const config = await readConfig();
const catalogNames = new Set(catalog.metrics.map((entry) => entry.name));
const functions = config.locals.get('functions') as Record<
  string,
  { monitor: string; topic: string; roles: string[] }
>;
const resource = (type: string, name: string): Block => {
  const found = config.resources.find((block) => block.type === type && block.name === name);
  assert.ok(found, `terraform/ has no ${type}.${name}`);
  return found;
};
const defaultMonitors = (config.variables.get('monitors')!.default as string[]).slice().sort();

test('Terraform deploys one function per topic of the issue, each fed by its own topic', () => {
  assert.deepEqual(
    Object.values(functions)
      .map((fn) => fn.topic)
      .sort(),
    [
      'baselines',
      'campaign-results',
      'feature-baselines',
      'features',
      'outcomes',
      'predictions',
      'uplift-outcomes',
    ],
  );
  assert.equal(
    resource('google_cloudfunctions2_function', 'monitor').body.for_each,
    tf('local.deployed_functions'),
  );
  const buildConfig = (
    resource('google_cloudfunctions2_function', 'monitor').body.build_config as Body[]
  )[0]!;
  assert.equal(buildConfig.entry_point, tf('each.key'), 'the key of local.functions is the entry point');
  // The runtime the tests run on: the project's own Node 24 (package.json's node dev dependency).
  assert.equal(buildConfig.runtime, `nodejs${process.versions.node.split('.')[0]}`);
  assert.equal(buildConfig.runtime, 'nodejs24');
});

for (const [entryPoint, fn] of Object.entries(functions)) {
  test(`the Terraform function ${entryPoint} (monitor ${fn.monitor}) is an entry point registered by functions/index.ts`, () => {
    assert.ok(
      isRegistered(entryPoint),
      `${entryPoint} is not registered by functions/index.ts: deploying monitor ${fn.monitor} would fail`,
    );
  });
}

test('var.monitors defaults to exactly the monitors whose functions are all registered', () => {
  const ready = [...new Set(Object.values(functions).map((fn) => fn.monitor))].filter((monitor) =>
    Object.entries(functions).every(([name, fn]) => fn.monitor !== monitor || isRegistered(name)),
  );
  assert.deepEqual(defaultMonitors, ready.sort());
});

test('every catalog metric is written by a function registered in functions/index.ts', () => {
  const unwritten = catalog.metrics
    .filter((entry) => !isRegistered(entry.writtenBy))
    .map((entry) => `${entry.name} (writtenBy ${entry.writtenBy})`);
  assert.deepEqual(unwritten, []);
  for (const entry of catalog.metrics)
    assert.ok(entry.writtenBy in functions, `${entry.writtenBy} is not deployed`);
});

test('metric descriptors are created from the same catalog file the TypeScript writer reads', () => {
  assert.equal(
    config.locals.get('metric_catalog'),
    tf(`jsondecode(file("${tf('path.module')}/../shared/monitoring/metrics.json"))`),
  );
  const descriptors = resource('google_monitoring_metric_descriptor', 'catalog').body;
  assert.match(String(descriptors.for_each), /local\.metric_catalog\.metrics/);
});

test('every metric the health alerts and the dashboard name is in the catalog', () => {
  const named = new Set<string>();
  const prefix = catalog.typePrefix.replaceAll('.', '\\.');
  for (const { text } of config.strings) {
    if (/^(drift|calibration|lift|uplift|features?)\/[a-z0-9_]+$/.test(text)) named.add(text);
    for (const match of text.matchAll(new RegExp(`${prefix}([a-z0-9_/]+)`, 'g'))) named.add(match[1]!);
  }
  const charts = config.locals.get('monitor_charts') as { metrics: string[] }[];
  for (const chart of charts) for (const metric of chart.metrics) assert.ok(named.has(metric));
  assert.ok(named.size >= 30, `found only ${named.size} metric names in terraform/`);
  assert.deepEqual(
    [...named].filter((name) => !catalogNames.has(name)),
    [],
  );
});

test('no binding anywhere makes a function public (no allUsers, no allAuthenticatedUsers)', () => {
  const publicMembers = config.strings.filter(({ text }) => /allUsers|allAuthenticatedUsers/.test(text));
  assert.deepEqual(publicMembers, []);
  const authoritative = config.resources.filter((block) => /_iam_(binding|policy)$/.test(block.type));
  assert.deepEqual(
    authoritative,
    [],
    'use *_iam_member: bindings and policies replace grants made elsewhere',
  );
});

// The only roles each function's service account holds; change this table with the Terraform, never alone.
const functionRoles: Record<string, string[]> = {
  registerBaseline: ['roles/datastore.user', 'roles/logging.logWriter'],
  driftMonitor: ['roles/datastore.viewer', 'roles/logging.logWriter', 'roles/monitoring.metricWriter'],
  calibrationMonitor: ['roles/logging.logWriter', 'roles/monitoring.metricWriter'],
  liftMonitor: ['roles/logging.logWriter', 'roles/monitoring.metricWriter'],
  upliftMonitor: ['roles/logging.logWriter', 'roles/monitoring.metricWriter'],
  registerFeatureBaseline: ['roles/datastore.user', 'roles/logging.logWriter'],
  featureMonitor: ['roles/datastore.viewer', 'roles/logging.logWriter', 'roles/monitoring.metricWriter'],
};

test('a function may write metrics exactly when the catalog says it writes some', () => {
  for (const [name, fn] of Object.entries(functions)) {
    const writes = catalog.metrics.some((entry) => entry.writtenBy === name);
    assert.equal(
      fn.roles.includes('roles/monitoring.metricWriter'),
      writes,
      `${name} and roles/monitoring.metricWriter`,
    );
  }
});

// Every IAM grant in terraform/: resource => [role, member].
const grants: Record<string, [string, string]> = {
  'google_project_iam_member.function': [
    tf('each.value.role'),
    tf('google_service_account.function[each.value.function].member'),
  ],
  'google_cloud_run_v2_service_iam_member.push_invoker': [
    'roles/run.invoker',
    tf('google_service_account.push.member'),
  ],
  'google_service_account_iam_member.push_token_creator': [
    'roles/iam.serviceAccountTokenCreator',
    tf('local.pubsub_service_agent'),
  ],
  'google_pubsub_topic_iam_member.dead_letter_publisher': [
    'roles/pubsub.publisher',
    tf('local.pubsub_service_agent'),
  ],
  'google_pubsub_subscription_iam_member.dead_letter_subscriber': [
    'roles/pubsub.subscriber',
    tf('local.pubsub_service_agent'),
  ],
};

test('each service account holds only its listed roles', () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.roles])),
    functionRoles,
  );
  const iam = config.resources.filter((block) => /_iam_/.test(block.type));
  assert.deepEqual(
    Object.fromEntries(
      iam.map((block) => [`${block.type}.${block.name}`, [block.body.role, block.body.member]]),
    ),
    grants,
  );
  // The per-function grants come from local.functions and nothing else.
  assert.match(String(config.locals.get('function_role_grants')), /for role in fn\.roles/);
  assert.equal(
    resource('google_project_iam_member', 'function').body.for_each,
    tf('local.function_role_grants'),
  );
  // Each function runs as its own account, and the push subscriptions authenticate as the push account.
  const serviceConfig = (
    resource('google_cloudfunctions2_function', 'monitor').body.service_config as Body[]
  )[0]!;
  assert.equal(serviceConfig.service_account_email, tf('google_service_account.function[each.key].email'));
  const push = (resource('google_pubsub_subscription', 'push').body.push_config as Body[])[0]!;
  assert.equal(
    (push.oidc_token as Body[])[0]!.service_account_email,
    tf('google_service_account.push.email'),
  );
});

test('every service account ID is liftwatch-SLUG within the 6-30 characters IAM allows', () => {
  const account = resource('google_service_account', 'function').body;
  assert.equal(account.account_id, `liftwatch-${tf('each.value.slug')}`);
  for (const [name, fn] of Object.entries(functions)) {
    const slug = (fn as unknown as { slug: string }).slug;
    assert.match(`liftwatch-${slug}`, /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, name);
  }
});

test('push subscriptions dead-letter, back off, keep order where the writer needs it, and fill the CloudEvent source', () => {
  const push = resource('google_pubsub_subscription', 'push').body;
  assert.equal(push.enable_message_ordering, tf('each.value.ordered'));
  for (const [name, fn] of Object.entries(functions)) {
    const ordered = (fn as unknown as { ordered: boolean }).ordered;
    const registers = name === 'registerBaseline' || name === 'registerFeatureBaseline';
    assert.equal(ordered, !registers, `${name}: only the baseline registrations may do without order`);
  }
  assert.ok(Array.isArray(push.dead_letter_policy) && Array.isArray(push.retry_policy));
  const endpoint = String((push.push_config as Body[])[0]!.push_endpoint);
  assert.match(endpoint, /\/projects\/\$\{var\.project_id\}\/topics\/\$\{each\.value\.topic\}$/);
  assert.ok(
    resource('google_pubsub_subscription', 'dead_letter'),
    'dead letters need a subscription to be kept',
  );
});

test('the source archive ships the function code, its package and the build configuration, and nothing else', () => {
  const source = config.dataSources.find((block) => block.type === 'archive_file' && block.name === 'source');
  assert.ok(source, 'terraform/ has no data.archive_file.source');
  const excludes = new Set(source.body.excludes as string[]);
  // What ships is what sits in the repository root and is not excluded.
  const shipped = readdirSync(repoRoot)
    .filter((name) => !excludes.has(name))
    .sort();
  assert.deepEqual(shipped, [
    'functions',
    'package-lock.json',
    'package.json',
    'shared',
    'tsconfig.build.json',
    'tsconfig.json',
  ]);
  // Cloud Build runs npm ci (whose prepare script builds) and then gcp-build; the Functions Framework loads main.
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    main: string;
    scripts: Record<string, string>;
  };
  assert.equal(pkg.scripts['gcp-build'], 'npm run bundle');
  assert.match(
    pkg.scripts.bundle!,
    /^esbuild functions\/index\.ts --bundle .*--outfile=build\/bundle\/functions\.js /,
  );
  assert.equal(pkg.main, 'build/bundle/functions.js');
});

test('every environment variable Terraform sets is one shared/runtime.ts reads', () => {
  const runtime = readFileSync(join(repoRoot, 'shared/runtime.ts'), 'utf8');
  const names = new Set<string>();
  for (const { file, text } of config.strings) {
    if (file !== 'functions.tf') continue;
    for (const match of text.matchAll(/\b(LIFTWATCH_[A-Z0-9_]+|GOOGLE_CLOUD_PROJECT)\b/g))
      names.add(match[1]!);
  }
  const monitorEnvironment = String(config.locals.get('monitor_environment'));
  for (const match of monitorEnvironment.matchAll(/\b(LIFTWATCH_[A-Z0-9_]+)\b/g)) names.add(match[1]!);
  assert.ok(names.size >= 3, [...names].join(', '));
  assert.deepEqual(
    [...names].filter((name) => !runtime.includes(`'${name}'`) && !runtime.includes(`.${name}`)),
    [],
  );
});

test('variables are typed, described and in alphabetical order; outputs are described and in order', () => {
  const variables = [...config.variables.keys()];
  assert.deepEqual(variables, variables.slice().sort());
  for (const [name, body] of config.variables) {
    assert.ok(body.type && typeof body.description === 'string' && body.description.length > 20, name);
  }
  const outputs = [...config.outputs.keys()];
  assert.deepEqual(outputs, outputs.slice().sort());
  for (const [name, body] of config.outputs) assert.ok(typeof body.description === 'string', name);
  assert.equal(config.variables.get('pagerduty_service_key')!.sensitive, true);
});

test('terraform/README.md tables every variable and output', () => {
  const readme = readFileSync(join(repoRoot, 'terraform/README.md'), 'utf8');
  const missing = [...config.variables.keys(), ...config.outputs.keys()].filter(
    (name) => !readme.includes(`| \`${name}\` |`),
  );
  assert.deepEqual(missing, []);
});
