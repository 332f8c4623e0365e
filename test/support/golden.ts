/** Loads the golden fixtures that test/golden/generate_*.py write from numpy/scipy. */
import { readFileSync } from 'node:fs';

export function readGolden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8')) as T;
}

export interface DriftGoldenCase {
  name: string;
  reference: number[];
  current: number[];
  expected: {
    edges: number[];
    referenceCounts: number[];
    currentCounts: number[];
    referenceStd: number;
    n: number;
    nReference: number;
    bins: number;
    psi: number;
    psiNull99: number;
    psiPValue: number;
    jsDistance: number;
    ksStatistic: number;
    ksPValue: number;
    wasserstein: number;
    wassersteinNormed: number;
  };
}
