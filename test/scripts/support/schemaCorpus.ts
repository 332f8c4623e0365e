/**
 * The messages the JSON Schemas are checked against liftwatch with: the hostile corpus, the samples, and
 * variants of the samples mutated field by field (in both encodings), each as the text a producer would send.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { encodeFloat32 } from '../../../shared/contracts/float32.js';
import { hostileCases, hostileData } from '../../hostile/support/corpus.js';

export interface CorpusMessage {
  schema: string;
  name: string;
  text: string;
}

const SCHEMA_OF: Record<string, string> = {
  Baseline: 'baseline.schema.json',
  PredictionBatch: 'prediction-batch.schema.json',
  OutcomeBatch: 'outcome-batch.schema.json',
  CampaignResults: 'campaign-results.schema.json',
  UpliftBatch: 'uplift-batch.schema.json',
  FeatureBaseline: 'feature-baseline.schema.json',
  FeatureBatch: 'feature-batch.schema.json',
};

const MAX_VALUES: Record<string, number> = {
  'baseline.schema.json': 1_750_000,
  'feature-baseline.schema.json': 1_750_000,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values every field is tried with, whatever it holds. */
const ANY_VALUES: Json[] = [
  null,
  true,
  0,
  1,
  -1,
  0.5,
  1.5,
  2,
  1e9,
  1e9 + 1,
  -1e9 - 1,
  1e300,
  '',
  'x',
  '1',
  [],
  {},
];

/** Raw JSON texts a JSON.stringify'd value cannot be (numbers beyond doubles, Python's constants). */
const RAW_VALUES = ['NaN', 'Infinity', '-Infinity', '1e999', '9007199254740993', '1.0', '-0', '1E0'];

const WINDOW_ENDS = [
  '2026-11-26T15:00:00z',
  '2026-11-26t15:00:00Z',
  '2026-11-26 15:00:00Z',
  '2026-11-26T15:00:00',
  '2026-11-26T15:00:00.1234567891Z',
  '2026-11-26T15:00:00.123Z',
  '2026-11-26T15:00:00.Z',
  '2026-11-26T15:00:00+01:00',
  '2026-11-26T15:00:00+0100',
  '2026-11-26T15:00:00+24:00',
  '2026-11-26T15:00:60Z',
  '2026-11-26T24:00:00Z',
  '2026-02-29T15:00:00Z',
  '2028-02-29T15:00:00Z',
  '2100-02-29T15:00:00Z',
  '2000-02-29T15:00:00Z',
  '2026-11-31T15:00:00Z',
  '２０２６-11-26T15:00:00Z',
  '2026-11-26T15:00:00Z\n',
  '2026-11-26',
];

/** Short base64 texts: every padding of every length, the characters around the 0/1 byte boundaries. */
function base64Texts(): string[] {
  const texts: string[] = ['', '=', '==', 'AAAA\n', 'AAAA AAAA', 'AA-_', 'AAAA===', '=AAAA'];
  for (let length = 1; length <= 36; length++) {
    for (const padding of ['', '=', '==']) texts.push('A'.repeat(length) + padding);
  }
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const chars = 'AAAABEQHIfgw/+9';
  for (let i = 0; i < 600; i++) {
    const length = 1 + Math.floor(random() * 12);
    let text = '';
    for (let j = 0; j < length; j++) text += chars[Math.floor(random() * chars.length)];
    texts.push(text + ['', '=', '=='][Math.floor(random() * 3)]!);
  }
  return texts;
}

/** Texts of a float32 field around its limit of maxValues values. */
function float32Limits(maxValues: number): string[] {
  const at = encodeFloat32(new Float32Array(maxValues));
  const over = encodeFloat32(new Float32Array(maxValues + 1));
  const bare = at.replace(/=+$/, '');
  return [at, over, bare, `${bare}A`, `${bare}AA`, `${bare}AAAAA`, `${bare}=`];
}

function bitsLimits(maxValues: number): string[] {
  const at = Buffer.alloc(maxValues).toString('base64');
  const over = Buffer.alloc(maxValues + 1).toString('base64');
  const bare = at.replace(/=+$/, '');
  return [at, over, bare, `${bare}A`, `${bare}AA`, `${bare}AAA`];
}

function stringVariants(value: string): string[] {
  return [
    `${value}\n`,
    `\n${value}`,
    `${value} `,
    value.toUpperCase(),
    value.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit))),
    `${value}é`,
    value.padEnd(63, 'a'),
    value.padEnd(64, 'a'),
    value.padEnd(128, 'a'),
    value.padEnd(129, 'a'),
  ];
}

/** Every path in a message worth mutating: each field, each key of an object, the first element of arrays. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const found: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) {
    if (value.length > 0) found.push(...paths(value[0]!, [...prefix, 0]));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) found.push(...paths(child, [...prefix, key]));
  }
  return found;
}

function get(value: Json, path: (string | number)[]): Json {
  return path.reduce<Json>((node, key) => (node as Record<string, Json>)[key]!, value);
}

/** The message with the value at path replaced (or removed, for undefined), as JSON text. */
function replaced(message: Json, path: (string | number)[], value: Json | undefined, raw?: string): string {
  const copy = structuredClone(message);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path.at(-1)!;
  if (value === undefined && raw === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return JSON.stringify(copy);
  }
  parent[key] = raw === undefined ? value! : '__RAW__';
  const text = JSON.stringify(copy);
  return raw === undefined ? text : text.replace('"__RAW__"', raw);
}

function variants(schema: string, name: string, message: Json): CorpusMessage[] {
  const found: CorpusMessage[] = [{ schema, name, text: JSON.stringify(message) }];
  const add = (label: string, text: string) => found.push({ schema, name: `${name} ${label}`, text });
  const maxValues = MAX_VALUES[schema] ?? 1_000_000;
  for (const path of paths(message)) {
    const at = path.join('.');
    const current = get(message, path);
    add(`without ${at}`, replaced(message, path, undefined));
    for (const value of ANY_VALUES) add(`${at}=${JSON.stringify(value)}`, replaced(message, path, value));
    for (const raw of RAW_VALUES) add(`${at}=${raw}`, replaced(message, path, null, raw));
    if (typeof current !== 'string') continue;
    const special = at === 'windowEnd' ? WINDOW_ENDS : /(F32|U8|U16)$/.test(at) ? base64Texts() : [];
    for (const text of [...stringVariants(current), ...special]) {
      add(`${at}=${JSON.stringify(text).slice(0, 40)}`, replaced(message, path, text));
    }
    // Python takes a second on a message of megabytes: each limit once for each (encoding, maximum) pair.
    // A feature column's limits are tried on messages of that column alone (featureCorpus), so that its row
    // count matches no other column's by accident.
    const limits = name.startsWith('feature')
      ? []
      : at.endsWith('F32') && !name.startsWith('outcome') && !name.startsWith('uplift')
        ? float32Limits(maxValues)
        : at === 'outcomesU8' && name.startsWith('outcome')
          ? bitsLimits(maxValues)
          : [];
    for (const text of limits) add(`${at} at its limit`, replaced(message, path, text));
  }
  const object = message as Record<string, Json>;
  for (const extra of [{ segmnet: { market: 'se' } }, { message: { data: 'e30=' } }]) {
    add(`with ${Object.keys(extra)[0]}`, JSON.stringify({ ...object, ...extra }));
  }
  const segments: Json[] = [
    { a: '1', b: '2', c: '3', d: '4' },
    { a: '1', b: '2', c: '3', d: '4', e: '5' },
    { Market: 'se' },
    { märket: 'se' },
    { market: 'se\n' },
    { ['a'.repeat(31)]: 'x' },
    { ['a'.repeat(32)]: 'x' },
  ];
  for (const segment of segments)
    add(`segment=${JSON.stringify(segment)}`, JSON.stringify({ ...object, segment }));
  if (Array.isArray(object.campaigns)) {
    const [first, ...rest] = object.campaigns as Record<string, Json>[];
    const { segment: _, ...unsegmented } = object;
    for (const segment of segments.slice(0, 2)) {
      add(
        `campaigns.0.segment=${JSON.stringify(segment)}`,
        JSON.stringify({ ...unsegmented, campaigns: [{ ...first, segment }, ...rest] }),
      );
    }
  }
  add('segment with __proto__', JSON.stringify(object).replace('"market":', '"__proto__":'));
  add('duplicate model, last valid', JSON.stringify(object).replace(/^\{/, '{"model":"Bad Name",'));
  add('duplicate model, last invalid', JSON.stringify(object).replace(/\}$/, ',"model":"Bad Name"}'));
  return found;
}

/** Copies of the samples with their arrays in the compact encodings (predictionsF32, outcomesU8, ...). */
function compact(message: Record<string, Json>): Record<string, Json> {
  const copy: Record<string, Json> = {};
  for (const [key, value] of Object.entries(message)) {
    if (key === 'predictions' || key === 'uplift') copy[`${key}F32`] = encodeFloat32(value as number[]);
    else if (key === 'outcomes' || key === 'treatment')
      copy[`${key}U8`] = Buffer.from(value as number[]).toString('base64');
    else copy[key] = value;
  }
  return copy;
}

/** The whole corpus, a few tens of thousands of messages. */
export function schemaCorpus(): CorpusMessage[] {
  // Hostile messages of megabytes of JSON arrays take Python's jsonschema seconds each; maxItems covers them.
  const corpus: CorpusMessage[] = hostileCases
    .map((entry) => ({
      schema: SCHEMA_OF[entry.contract]!,
      name: `hostile ${entry.name}`,
      text: hostileData(entry).toString('utf8'),
    }))
    .filter(({ text }) => text.length <= 1_000_000);
  const samples = new URL('../../samples/', import.meta.url);
  for (const file of readdirSync(samples).filter((name) => name.endsWith('.json'))) {
    const schema = file.replace(/\.json$/, '.schema.json');
    const sample = JSON.parse(readFileSync(new URL(file, samples), 'utf8')) as Record<string, Json>;
    if (file.startsWith('feature')) {
      // The sample carries every column encoding already; its columns are cut to 24 rows together.
      corpus.push(...variants(schema, file, { ...sample, features: shortColumns(sample.features!, 24) }));
      continue;
    }
    // Short arrays keep the corpus small; the sample's campaigns stay (their rules are per campaign).
    const small = Object.fromEntries(
      Object.entries(sample).map(([key, value]) => [
        key,
        Array.isArray(value) && key !== 'campaigns' ? value.slice(0, 24) : value,
      ]),
    );
    corpus.push(...variants(schema, file, small));
    if (!file.startsWith('campaign')) corpus.push(...variants(schema, `${file} (compact)`, compact(small)));
    if (file === 'prediction-batch.json') {
      const { predictions: _, ...binned } = small;
      const binCounts = { binning: '0123456789abcdef', counts: [3, 0, 4, 2] };
      corpus.push(...variants(schema, `${file} (binned)`, { ...binned, binCounts }));
      for (const counts of [
        [0, 0],
        [9007199254740991, 1],
        [2 ** 53, 0],
        [1.0, 2],
        [1, 2.5],
      ])
        corpus.push({
          schema,
          name: `${file} (binned) with counts ${JSON.stringify(counts)}`,
          text: JSON.stringify({ ...binned, binCounts: { ...binCounts, counts } }),
        });
    }
  }
  // Within every limit of the schema, but over the 10 MB of message data once written with whitespace.
  const spaced = JSON.stringify({
    schemaVersion: 1,
    model: 'm',
    modelVersion: 'v1',
    predictionsF32: float32Limits(1_750_000)[0],
  });
  corpus.push({
    schema: 'baseline.schema.json',
    name: 'baseline over 10 MB of text',
    text: `${spaced}${' '.repeat(700_000)}`,
  });
  corpus.push(...featureCorpus());
  corpus.push(...countedFeatureCorpus());
  return corpus;
}

/** Every column of a sample's features cut to its first `rows` rows, in the column's own encoding. */
function shortColumns(features: Json, rows: number): Json {
  const cut = (column: Record<string, Json>): Record<string, Json> => {
    const short: Record<string, Json> = { ...column };
    for (const key of ['values', 'codes'] as const) {
      if (Array.isArray(column[key])) short[key] = column[key].slice(0, rows);
    }
    if (typeof column.valuesF32 === 'string') {
      short.valuesF32 = Buffer.from(column.valuesF32, 'base64')
        .subarray(0, 4 * rows)
        .toString('base64');
    }
    if (typeof column.codesU16 === 'string') {
      short.codesU16 = Buffer.from(column.codesU16, 'base64')
        .subarray(0, 2 * rows)
        .toString('base64');
    }
    return short;
  };
  return Object.fromEntries(
    Object.entries(features as Record<string, Record<string, Json>>).map(([name, column]) => [
      name,
      cut(column),
    ]),
  );
}

/**
 * Feature messages of one or two columns, so that any row count is consistent: every base64 text in each compact
 * encoding (with categories enough for its codes), the uint16 limits, the rows x features limit, feature names.
 */
function featureCorpus(): CorpusMessage[] {
  const found: CorpusMessage[] = [];
  for (const [schema, maxValues, head] of [
    [
      'feature-batch.schema.json',
      1_000_000,
      { schemaVersion: 1, model: 'm', modelVersion: 'v1', windowEnd: '2026-11-26T15:00:00Z' },
    ],
    ['feature-baseline.schema.json', 1_750_000, { schemaVersion: 1, model: 'm', modelVersion: 'v1' }],
  ] as const) {
    const add = (name: string, features: Record<string, Json>) =>
      found.push({ schema, name: `${schema} ${name}`, text: JSON.stringify({ ...head, features }) });
    const categories = (count: number) => Array.from({ length: count }, (_, i) => `c${i}`);
    for (const text of base64Texts()) {
      add(`valuesF32=${JSON.stringify(text)}`, { x: { kind: 'numeric', valuesF32: text } });
      const bytes = Buffer.from(text, 'base64');
      let largest = 0;
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        const code = bytes.readUInt16LE(i);
        if (code !== 65535) largest = Math.max(largest, code);
      }
      // Codes up to 2,000 get categories enough for them: the structure, not the range, is checked here.
      if (largest < 2_000) {
        add(`codesU16=${JSON.stringify(text)}`, {
          x: { kind: 'categorical', categories: categories(largest + 1), codesU16: text },
        });
      }
    }
    const at = Buffer.alloc(2 * maxValues).toString('base64');
    const bare = at.replace(/=+$/, '');
    for (const text of [
      at,
      Buffer.alloc(2 * maxValues + 2).toString('base64'),
      bare,
      `${bare}A`,
      `${bare}AA`,
      `${bare}AAA`,
    ]) {
      add(`codesU16 at its limit (${text.length} characters)`, {
        x: { kind: 'categorical', categories: ['a'], codesU16: text },
      });
    }
    for (const rows of [maxValues / 2, maxValues / 2 + 1]) {
      const column = {
        kind: 'categorical',
        categories: ['a'],
        codesU16: Buffer.alloc(2 * rows).toString('base64'),
      };
      add(`2 features x ${rows} rows`, { x: column, y: column });
    }
    add('unequal rows', { x: { kind: 'numeric', values: [1, 2] }, y: { kind: 'numeric', values: [1] } });
    add('a code beyond the categories', { x: { kind: 'categorical', categories: ['a'], codes: [0, 1] } });
    add(
      '101 features',
      Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, { kind: 'numeric', values: [i] }])),
    );
    add(
      '100 features',
      Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, { kind: 'numeric', values: [i] }])),
    );
    for (const name of [
      'constructor',
      'a'.repeat(63),
      'a'.repeat(64),
      'Device',
      'device-type',
      '1st',
      '_x',
      'dévice',
      'x\n',
      '',
    ]) {
      add(`feature named ${JSON.stringify(name)}`, { [name]: { kind: 'numeric', values: [1] } });
    }
    found.push({
      schema,
      name: `${schema} feature named __proto__`,
      text: JSON.stringify({ ...head, features: { x: { kind: 'numeric', values: [1] } } }).replace(
        '"x":',
        '"__proto__":',
      ),
    });
    for (const column of [
      { kind: 'numeric', values: [1], valuesF32: 'AAAAAA==' },
      { kind: 'numeric', values: [null] },
      { kind: 'categorical', values: [null, '__proto__', 'a:b/c+d-e.f_g'] },
      { kind: 'categorical', values: ['a'], categories: ['a'] },
      { kind: 'categorical', codes: [0] },
      { kind: 'categorical', categories: ['a'], codes: [0], codesU16: 'AAA' },
      { kind: 'categorical', categories: ['a', 'a'], codes: [0] },
      { kind: 'categorical', categories: ['a', 'b'], codes: [-1, 1, 1.0] },
      { kind: 'categorical', categories: ['a'] },
      { kind: 'numeric', values: [1], importance: 0.5 },
      { kind: 'numeric', values: [1], importance: 0 },
      { kind: 'numeric', values: [1], importance: -1 },
      { kind: 'numeric', values: [1], importance: 1e9 + 1 },
      { kind: 'other', values: [1] },
    ]) {
      add(`column ${JSON.stringify(column)}`, { x: column });
    }
  }
  return found;
}

/**
 * FeatureBatch messages with counted columns (numeric binCounts, categorical counts, each with missing): a message
 * mixing raw and counted columns of 4 rows mutated field by field, and columns that break one counted rule each.
 */
function countedFeatureCorpus(): CorpusMessage[] {
  const schema = 'feature-batch.schema.json';
  const head = { schemaVersion: 1, model: 'm', modelVersion: 'v1', windowEnd: '2026-11-26T15:00:00Z' };
  const binning = '0123456789abcdef';
  const mixed = {
    ...head,
    features: {
      x: { kind: 'numeric', binCounts: { binning, counts: [1, 0, 2] }, missing: 1 },
      c: { kind: 'categorical', counts: { a: 2, b: 1 }, missing: 1 },
      r: { kind: 'numeric', values: [1, null, 2, 3] },
      s: { kind: 'categorical', values: ['a', null, 'b', 'a'] },
    },
  };
  const found = variants(schema, 'feature-batch (counted)', mixed);
  const add = (name: string, features: Record<string, Json>) =>
    found.push({ schema, name: `${schema} counted ${name}`, text: JSON.stringify({ ...head, features }) });
  const numeric = (counts: Json, missing?: Json, extra: Record<string, Json> = {}): Json => ({
    kind: 'numeric',
    binCounts: { binning, counts },
    ...(missing === undefined ? {} : { missing }),
    ...extra,
  });
  const categorical = (counts: Json, missing?: Json, extra: Record<string, Json> = {}): Json => ({
    kind: 'categorical',
    counts,
    ...(missing === undefined ? {} : { missing }),
    ...extra,
  });
  const safe = Number.MAX_SAFE_INTEGER;
  const columns: Json[] = [
    // Valid: counts with missing, all values missing, a zero count among positive ones.
    numeric([1, 2], 0),
    numeric([0, 0, 0], 3),
    numeric([safe], 0),
    numeric(Array(1002).fill(1), 0),
    categorical({ a: 1, b: 0 }, 0),
    categorical({}, 2),
    categorical({ a: 0 }, 2),
    categorical({ 'a:b/c+d-e.f_g': 1, constructor: 2, toString: 1 }, 0),
    categorical({ [`a${'b'.repeat(127)}`]: 1 }, 0),
    categorical({ a: safe }, 0),
    // Invalid: missing without counts or counts without missing.
    numeric([1, 2]),
    categorical({ a: 1 }),
    { kind: 'numeric', values: [1, 2], missing: 0 },
    { kind: 'numeric', valuesF32: 'AACAPw==', missing: 0 },
    { kind: 'categorical', values: ['a'], missing: 0 },
    { kind: 'categorical', categories: ['a'], codes: [0], missing: 0 },
    { kind: 'numeric', missing: 1 },
    { kind: 'categorical', missing: 1 },
    // Invalid: two encodings, categories with counts, counts on the wrong kind.
    numeric([1], 0, { values: [1] }),
    categorical({ a: 1 }, 0, { categories: ['a'] }),
    categorical({ a: 1 }, 0, { categories: ['a'], codes: [0] }),
    categorical({ a: 1 }, 0, { values: ['a'] }),
    { kind: 'numeric', counts: { a: 1 }, missing: 0 },
    { kind: 'categorical', binCounts: { binning, counts: [1] }, missing: 0 },
    // Invalid counts and missing counts.
    numeric([1, -1], 0),
    numeric([1, 0.5], 0),
    numeric([1, '1'], 0),
    numeric([1e308], 0),
    numeric([], 1),
    numeric(Array(1003).fill(1), 0),
    numeric([1], -1),
    numeric([1], 0.5),
    numeric([1], '0'),
    numeric([1], null),
    numeric([1], 2 ** 53),
    categorical({ a: -1 }, 0),
    categorical({ a: 1.5 }, 0),
    categorical({ a: '1' }, 0),
    categorical({ a: null }, 0),
    categorical({ a: 1e308 }, 0),
    categorical({ a: 1 }, -1),
    categorical({ a: 1 }, 2 ** 53),
    categorical([1, 2], 0),
    categorical([], 1),
    categorical('a', 1),
    categorical(null, 1),
    // Invalid category names as keys.
    categorical({ 'a b': 1 }, 0),
    categorical({ '': 1 }, 0),
    categorical({ dévice: 1 }, 0),
    categorical({ 'a\n': 1 }, 0),
    categorical({ [`a${'b'.repeat(128)}`]: 1 }, 0),
    // Invalid fingerprints.
    { kind: 'numeric', binCounts: { binning: '0123456789ABCDEF', counts: [1] }, missing: 0 },
    { kind: 'numeric', binCounts: { binning: '0123456789abcde', counts: [1] }, missing: 0 },
    { kind: 'numeric', binCounts: { counts: [1] }, missing: 0 },
    { kind: 'numeric', binCounts: { binning, counts: [1], extra: 1 }, missing: 0 },
    // No row: every count 0 and missing 0.
    numeric([0, 0], 0),
    numeric([0], 0),
    categorical({}, 0),
    categorical({ a: 0 }, 0),
    categorical({ a: 0, b: 0 }, 0),
    // Rows beyond 2^53 - 1: the counts' total, or the total with missing.
    numeric([safe, 1], 0),
    numeric([safe], 1),
    numeric([safe - 1, 1], 1),
    categorical({ a: safe, b: 1 }, 0),
    categorical({ a: safe }, 1),
    categorical({ a: safe - 1 }, 2),
  ];
  for (const column of columns) add(`column ${JSON.stringify(column).slice(0, 200)}`, { x: column });
  // Rows: equal across counted and raw columns, or not.
  const four = { kind: 'numeric', values: [1, 2, null, 4] };
  add('mixed, 4 rows each', {
    a: numeric([1, 2, 0], 1),
    b: categorical({ p: 3 }, 1),
    c: four,
    d: categorical({}, 4),
  });
  add('counted 4 rows, raw 3 rows', { a: numeric([1, 2], 1), c: { kind: 'numeric', values: [1, 2, 3] } });
  add('counted 4 rows, counted 5 rows', { a: numeric([1, 2], 1), b: categorical({ p: 3 }, 2) });
  add('counted 3 rows, categorical raw 4 rows', {
    b: categorical({ p: 3 }, 0),
    s: { kind: 'categorical', values: ['a', null, 'b', 'a'] },
  });
  // 65,535 categories counted (the most), and 65,536.
  for (const count of [65_535, 65_536]) {
    const counts = Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}`, 1]));
    add(`${count} counted categories`, { x: categorical(counts, 0) });
  }
  // `__proto__` as a counted category (valid: a category string like any other) and beside another name.
  for (const [label, counts] of [
    ['alone', { q: 3 }],
    ['with another', { q: 3, a: 1 }],
    ['count 0 and missing 0', { q: 0 }],
    ['count -1', { q: -1 }],
  ] as const) {
    const text = JSON.stringify({ ...head, features: { x: categorical(counts, 0) } }).replace(
      '"q":',
      '"__proto__":',
    );
    found.push({ schema, name: `${schema} counted category __proto__ ${label}`, text });
  }
  return found;
}
