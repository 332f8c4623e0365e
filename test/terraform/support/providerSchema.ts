/**
 * An offline stand-in for `terraform validate`: checks every google_* resource and data source of a parsed
 * configuration against the provider's schema (the JSON of `terraform providers schema -json`): unknown or
 * read-only arguments, missing required ones, blocks written as attributes and the reverse, block counts
 * against min_items/max_items (dynamic blocks counted as "some"), enum values that the schema's descriptions
 * list as "Possible values", lifecycle.ignore_changes names, and references to undeclared resources,
 * variables and locals. It cannot evaluate expressions: types, computed values and cross-field API rules
 * stay unchecked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { address, type Block, type Body, repoRoot, type TerraformConfig } from './hcl.js';

export interface SchemaAttribute {
  type?: unknown;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  description?: string;
}
export interface SchemaBlockType {
  nesting_mode: 'single' | 'list' | 'set' | 'map' | 'group';
  min_items?: number;
  max_items?: number;
  block: SchemaBlock;
}
export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
}
export interface ProviderSchema {
  resource_schemas: Record<string, { block: SchemaBlock }>;
  data_source_schemas: Record<string, { block: SchemaBlock }>;
}

/** Beside the project, never inside it: an MIT-licensed schema rebuilt from public data (gcp-facts section 5). */
export const SCHEMA_PATH = join(repoRoot, '../shared/terraform/google-provider-6.50.0-schema.json');

export function loadProviderSchema(path: string = SCHEMA_PATH): ProviderSchema | undefined {
  if (!existsSync(path)) return undefined;
  const json = JSON.parse(readFileSync(path, 'utf8'));
  return json.provider_schemas['registry.terraform.io/hashicorp/google'];
}

export interface Finding {
  /** e.g. google_cloudfunctions2_function.monitor (functions.tf) */
  address: string;
  /** The argument's path inside the block, e.g. service_config[0].available_memroy */
  path: string;
  message: string;
}

const RESOURCE_META = new Set([
  'count',
  'for_each',
  'depends_on',
  'provider',
  'lifecycle',
  'provisioner',
  'connection',
]);
const DYNAMIC_KEYS = new Set(['for_each', 'iterator', 'labels', 'content']);

export function validateConfig(config: TerraformConfig, schema: ProviderSchema): Finding[] {
  const findings: Finding[] = [];
  const check = (block: Block, schemas: ProviderSchema['resource_schemas'], data: boolean) => {
    if (!block.type.startsWith('google_')) return;
    const where = `${address(block, data)} (${block.file})`;
    const found = schemas[block.type];
    if (!found) {
      findings.push({
        address: where,
        path: '',
        message: `the google provider has no ${data ? 'data source' : 'resource'} ${block.type}`,
      });
      return;
    }
    checkBody(block.body, found.block, '', where, findings, true);
    checkIgnoreChanges(block.body, found.block, where, findings);
  };
  for (const block of config.resources) check(block, schema.resource_schemas, false);
  for (const block of config.dataSources) check(block, schema.data_source_schemas, true);
  findings.push(...unresolvedReferences(config));
  return findings;
}

function checkBody(
  body: Body,
  schema: SchemaBlock,
  path: string,
  where: string,
  findings: Finding[],
  top: boolean,
): void {
  const attributes = schema.attributes ?? {};
  const blockTypes = schema.block_types ?? {};
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const dynamicCounts = new Map<string, number>();

  for (const [key, value] of Object.entries(body)) {
    if (top && RESOURCE_META.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, dynamics] of Object.entries(value as Record<string, Body[]>)) {
        const blockType = blockTypes[name];
        if (!blockType) {
          findings.push({
            address: where,
            path: at(`dynamic "${name}"`),
            message: unsupported('block', name, blockTypes),
          });
          continue;
        }
        for (const [index, dynamic] of dynamics.entries()) {
          dynamicCounts.set(name, (dynamicCounts.get(name) ?? 0) + 1);
          for (const dynamicKey of Object.keys(dynamic)) {
            if (!DYNAMIC_KEYS.has(dynamicKey))
              findings.push({
                address: where,
                path: at(`dynamic "${name}"[${index}]`),
                message: `unsupported argument "${dynamicKey}" in a dynamic block`,
              });
          }
          if (!('for_each' in dynamic))
            findings.push({
              address: where,
              path: at(`dynamic "${name}"[${index}]`),
              message: 'a dynamic block needs for_each',
            });
          const content = (dynamic.content as Body[] | undefined)?.[0];
          if (!content)
            findings.push({
              address: where,
              path: at(`dynamic "${name}"[${index}]`),
              message: 'a dynamic block needs a content block',
            });
          else checkBody(content, blockType.block, at(`${name}[dynamic ${index}]`), where, findings, false);
        }
      }
      continue;
    }
    const attribute = attributes[key];
    if (attribute) {
      if (!attribute.required && !attribute.optional) {
        findings.push({
          address: where,
          path: at(key),
          message: `"${key}" is read-only (computed by the provider) and cannot be set`,
        });
      } else if (looksLikeBlocks(value) && !acceptsObjects(attribute.type)) {
        findings.push({
          address: where,
          path: at(key),
          message: `"${key}" is an argument: write ${key} = ..., not a ${key} { } block`,
        });
      } else {
        checkEnum(key, value, attribute, at(key), where, findings);
      }
      continue;
    }
    const blockType = blockTypes[key];
    if (blockType) {
      if (!Array.isArray(value)) {
        findings.push({
          address: where,
          path: at(key),
          message: `"${key}" is a block: write ${key} { ... }, not ${key} = { ... }`,
        });
        continue;
      }
      for (const [index, item] of value.entries()) {
        checkBody(item as Body, blockType.block, at(`${key}[${index}]`), where, findings, false);
      }
      continue;
    }
    findings.push({
      address: where,
      path: at(key),
      message: unsupported('argument', key, { ...attributes, ...blockTypes }),
    });
  }

  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(name in body))
      findings.push({ address: where, path: at(name), message: `missing required argument "${name}"` });
  }
  for (const [name, blockType] of Object.entries(blockTypes)) {
    const fixed = Array.isArray(body[name]) ? (body[name] as unknown[]).length : 0;
    const dynamic = dynamicCounts.get(name) ?? 0;
    if ((blockType.min_items ?? 0) > 0 && fixed + dynamic === 0)
      findings.push({
        address: where,
        path: at(name),
        message: `missing required block "${name}" (at least ${blockType.min_items})`,
      });
    const most =
      blockType.nesting_mode === 'single' || blockType.nesting_mode === 'group' ? 1 : blockType.max_items;
    if (most !== undefined && (fixed > most || (dynamic > 0 && fixed + dynamic > most)))
      findings.push({
        address: where,
        path: at(name),
        message: `at most ${most} "${name}" block(s) allowed`,
      });
  }
}

/** hcl2json writes nested blocks as arrays of objects; an argument given that shape was written as a block. */
function looksLikeBlocks(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => item && typeof item === 'object' && !Array.isArray(item))
  );
}

function acceptsObjects(type: unknown): boolean {
  return JSON.stringify(type).includes('"object"') || type === 'dynamic';
}

/** Checks a literal string against the "Possible values: [...]" list of the attribute's description. */
function checkEnum(
  key: string,
  value: unknown,
  attribute: SchemaAttribute,
  path: string,
  where: string,
  findings: Finding[],
): void {
  if (typeof value !== 'string' || value.includes('${')) return;
  const listed = /Possible values: \[([^\]]*)\]/.exec(attribute.description ?? '');
  if (!listed) return;
  const allowed = [...listed[1]!.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
  if (allowed.length > 0 && !allowed.includes(value))
    findings.push({
      address: where,
      path,
      message: `"${key}" = "${value}" is not one of ${allowed.join(', ')}`,
    });
}

function checkIgnoreChanges(body: Body, schema: SchemaBlock, where: string, findings: Finding[]): void {
  const lifecycle = (body.lifecycle as Body[] | undefined)?.[0];
  const ignored = lifecycle?.ignore_changes;
  if (!Array.isArray(ignored)) return;
  for (const entry of ignored as string[]) {
    const name = entry.replace(/^\$\{|\}$/g, '').split(/[.[]/)[0]!;
    if (name !== 'all' && !(name in (schema.attributes ?? {})) && !(name in (schema.block_types ?? {})))
      findings.push({
        address: where,
        path: 'lifecycle.ignore_changes',
        message: `ignores "${name}", which ${where} does not have`,
      });
  }
}

/** References inside interpolations to resources, data sources, variables or locals that are not declared. */
function unresolvedReferences(config: TerraformConfig): Finding[] {
  const declared = new Set([
    ...config.resources.map((block) => address(block)),
    ...config.dataSources.map((block) => address(block, true)),
    ...[...config.variables.keys()].map((name) => `var.${name}`),
    ...[...config.locals.keys()].map((name) => `local.${name}`),
  ]);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const pattern =
    /(?<![\w.])(data\.[a-z][a-z0-9_]*\.[a-z_][a-z0-9_-]*|var\.[a-z_][a-z0-9_]*|local\.[a-z_][a-z0-9_]*|(?:google|terraform)_[a-z0-9_]+\.[a-z_][a-z0-9_-]*)/g;
  for (const { file, text } of config.strings) {
    if (!text.includes('${')) continue;
    for (const [reference] of text.matchAll(pattern)) {
      if (declared.has(reference) || seen.has(`${file} ${reference}`)) continue;
      seen.add(`${file} ${reference}`);
      findings.push({ address: file, path: '', message: `reference to undeclared ${reference}` });
    }
  }
  return findings;
}

function unsupported(kind: string, name: string, known: Record<string, unknown>): string {
  const closest = Object.keys(known)
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .sort((a, b) => a.distance - b.distance)[0];
  const hint = closest && closest.distance <= 3 ? `; did you mean "${closest.candidate}"?` : '';
  return `unsupported ${kind} "${name}"${hint}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

export const formatFindings = (findings: Finding[]): string =>
  findings.map((finding) => `${finding.address} ${finding.path}: ${finding.message}`).join('\n');
