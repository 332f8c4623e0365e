/** Reads a Terraform configuration into plain objects (via @cdktf/hcl2json) for the offline checks. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** An HCL body as hcl2json gives it: attributes as values, nested blocks as arrays of bodies. */
export type Body = Record<string, unknown>;

export interface Block {
  file: string;
  type: string;
  name: string;
  body: Body;
}

export interface TerraformConfig {
  resources: Block[];
  dataSources: Block[];
  variables: Map<string, Body>;
  outputs: Map<string, Body>;
  locals: Map<string, unknown>;
  /** Every string of every file, with the file it came from. */
  strings: { file: string; text: string }[];
}

export const repoRoot = new URL('../../../', import.meta.url).pathname;
export const terraformDir = join(repoRoot, 'terraform');

export function tfFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.tf'))
    .sort();
}

/** Parses every .tf file of a directory (not its subdirectories: the root module has none). */
export async function readConfig(dir: string = terraformDir): Promise<TerraformConfig> {
  const config: TerraformConfig = {
    resources: [],
    dataSources: [],
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    strings: [],
  };
  for (const file of tfFiles(dir)) {
    const parsed = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Record<string, unknown>;
    collectStrings(parsed, (text) => config.strings.push({ file, text }));
    config.resources.push(...labelled(file, parsed.resource));
    config.dataSources.push(...labelled(file, parsed.data));
    for (const [name, bodies] of Object.entries((parsed.variable ?? {}) as Record<string, Body[]>)) {
      config.variables.set(name, bodies[0]!);
    }
    for (const [name, bodies] of Object.entries((parsed.output ?? {}) as Record<string, Body[]>)) {
      config.outputs.set(name, bodies[0]!);
    }
    for (const locals of (parsed.locals ?? []) as Body[]) {
      for (const [name, value] of Object.entries(locals)) config.locals.set(name, value);
    }
  }
  return config;
}

function labelled(file: string, section: unknown): Block[] {
  const blocks: Block[] = [];
  for (const [type, byName] of Object.entries((section ?? {}) as Record<string, Record<string, Body[]>>)) {
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of bodies) blocks.push({ file, type, name, body });
    }
  }
  return blocks;
}

export function collectStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, visit);
  }
}

/** A Terraform expression as hcl2json writes it: tf('each.key') => '${each.key}'. */
export const tf = (expression: string): string => `\${${expression}}`;

/** The address Terraform would print, e.g. google_pubsub_topic.source. */
export const address = (block: Pick<Block, 'type' | 'name'>, data = false): string =>
  `${data ? 'data.' : ''}${block.type}.${block.name}`;
