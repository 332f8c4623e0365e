/**
 * terraform/ checked offline: formatting, every google_* block against the provider schema, and proof that
 * the schema check fails on a broken copy. Where `terraform init` can reach the registry, `terraform
 * validate` runs as well.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readConfig, repoRoot, terraformDir, tfFiles } from './support/hcl.js';
import {
  type Finding,
  formatFindings,
  loadProviderSchema,
  SCHEMA_PATH,
  validateConfig,
} from './support/providerSchema.js';

const schema = loadProviderSchema();
const noSchema = schema
  ? false
  : `the provider schema is absent at ${SCHEMA_PATH}; the schema checks need it`;

// CI always has ../shared beside the clone: there a missing schema is a failure, never a green run without the
// schema check. Elsewhere (a clone without ../shared) the checks skip and say why.
test('the provider schema is present where CI runs', { skip: process.env.CI ? false : 'not in CI' }, () => {
  assert.ok(
    schema,
    `the provider schema is absent at ${SCHEMA_PATH}: CI must run with ../shared beside the clone`,
  );
});
const terraformVersion = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const noTerraform = terraformVersion.error ? 'terraform is not on PATH' : false;

const scratch = mkdtempSync(join(tmpdir(), 'liftwatch-terraform-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('terraform fmt -check -recursive terraform passes (skipped when terraform is not on PATH)', {
  skip: noTerraform,
}, () => {
  const result = spawnSync('terraform', ['fmt', '-check', '-recursive', '-diff', 'terraform'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `run terraform fmt -recursive terraform:\n${result.stdout}${result.stderr}`);
});

test('every google_* resource and data source matches the google provider 6.50.0 schema', {
  skip: noSchema,
}, async () => {
  const config = await readConfig();
  assert.ok(config.resources.filter((block) => block.type.startsWith('google_')).length >= 20);
  const findings = validateConfig(config, schema!);
  assert.deepEqual(findings, [], formatFindings(findings));
});

/** Copies terraform/*.tf to a scratch folder with one file's text changed. */
function brokenCopy(name: string, file: string, from: string | RegExp, to: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const tf of tfFiles(terraformDir)) cpSync(join(terraformDir, tf), join(dir, tf));
  const text = readFileSync(join(dir, file), 'utf8');
  const changed = text.replace(from, to);
  assert.notEqual(changed, text, `${name}: ${from} not found in ${file}`);
  writeFileSync(join(dir, file), changed);
  return dir;
}

const has = (findings: Finding[], path: RegExp, message: RegExp) =>
  findings.some((finding) => path.test(finding.path) && message.test(finding.message));

test('the schema check fails on a copy with a misspelled attribute and a removed required one', {
  skip: noSchema,
}, async () => {
  const dir = brokenCopy('misspelled', 'functions.tf', /available_memory(\s+=)/, 'available_memroy$1');
  const alerts = readFileSync(join(dir, 'alerts.tf'), 'utf8');
  writeFileSync(join(dir, 'alerts.tf'), alerts.replace(/^\s*combiner\s*=.*\n/m, ''));
  const findings = validateConfig(await readConfig(dir), schema!);
  const report = formatFindings(findings);
  assert.ok(
    has(
      findings,
      /^service_config\[0\]\.available_memroy$/,
      /unsupported argument "available_memroy"; did you mean "available_memory"/,
    ),
    report,
  );
  assert.ok(has(findings, /^combiner$/, /missing required argument "combiner"/), report);
  assert.ok(
    findings.every((finding) =>
      /google_(cloudfunctions2_function|monitoring_alert_policy)/.test(finding.address),
    ),
    report,
  );
});

const mutations: {
  name: string;
  file: string;
  from: string | RegExp;
  to: string;
  path: RegExp;
  message: RegExp;
}[] = [
  {
    name: 'a block written as an attribute',
    file: 'pubsub.tf',
    from: /retry_policy \{/,
    to: 'retry_policy = {',
    path: /^retry_policy$/,
    message: /is a block/,
  },
  {
    name: 'an argument written as a block',
    file: 'notifications.tf',
    from: /labels = \{/,
    to: 'labels {',
    path: /^labels$/,
    message: /is an argument/,
  },
  {
    name: 'a value outside the documented enum',
    file: 'health.tf',
    from: '"COMPARISON_GT"',
    to: '"COMPARISON_GREATER"',
    path: /condition_threshold\[0\]\.comparison$/,
    message: /not one of COMPARISON_GT/,
  },
  {
    name: 'a read-only attribute set',
    file: 'iam.tf',
    from: 'account_id   = "liftwatch-pubsub-push"',
    to: 'account_id   = "liftwatch-pubsub-push"\n  unique_id = "1"',
    path: /^unique_id$/,
    message: /read-only/,
  },
  {
    name: 'a second block where only one is allowed',
    file: 'alerts.tf',
    from: /(\n {2}documentation \{)/,
    to: '\n  documentation {\n    content = "x"\n  }$1',
    path: /^documentation$/,
    message: /at most 1/,
  },
  {
    name: 'a reference to an undeclared resource',
    file: 'iam.tf',
    from: 'google_service_account.push.member',
    to: 'google_service_account.pusher.member',
    path: /^$/,
    message: /undeclared google_service_account\.pusher/,
  },
  {
    name: 'a missing required block',
    file: 'alerts.tf',
    from: /\n {2}conditions \{[\s\S]*?\n {2}\}\n/,
    to: '\n',
    path: /^conditions$/,
    message: /missing required block "conditions"/,
  },
];

for (const mutation of mutations) {
  test(`the schema check reports ${mutation.name}`, { skip: noSchema }, async () => {
    const dir = brokenCopy(mutation.name.replaceAll(' ', '-'), mutation.file, mutation.from, mutation.to);
    const findings = validateConfig(await readConfig(dir), schema!);
    assert.ok(has(findings, mutation.path, mutation.message), formatFindings(findings) || 'no findings');
  });
}

// `terraform validate` needs the providers; it runs only where `terraform init` can download them.
const initDir = join(scratch, 'validate');
function tryInit(): string | false {
  if (noTerraform) return noTerraform;
  cpSync(terraformDir, join(initDir, 'terraform'), {
    recursive: true,
    filter: (source) => !source.includes('.terraform'),
  });
  cpSync(join(repoRoot, 'shared/monitoring'), join(initDir, 'shared/monitoring'), { recursive: true });
  const init = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], {
    cwd: join(initDir, 'terraform'),
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (init.status === 0) return false;
  const reason =
    `${init.stderr}${init.stdout}`.split('\n').find((line) => /Error|error/.test(line)) ?? 'init failed';
  return `terraform init cannot fetch the providers here (${reason.trim()}); the schema checks above stand in`;
}

test('terraform validate passes (runs only where terraform init can reach the registry)', {
  skip: tryInit(),
}, () => {
  const result = spawnSync('terraform', ['validate', '-no-color'], {
    cwd: join(initDir, 'terraform'),
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
