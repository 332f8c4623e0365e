/** Loads the golden fixtures that test/golden/generate_*.py write from numpy/scipy. */
import { readFileSync } from 'node:fs';
import type { DriftStatistics } from '../../shared/stats/drift/suite.js';

export function readGolden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8')) as T;
}

export interface DriftGoldenCase {
  name: string;
  reference: number[];
  current: number[];
  expected: DriftStatistics & {
    edges: number[];
    referenceCounts: number[];
    currentCounts: number[];
    referenceStd: number;
  };
}
