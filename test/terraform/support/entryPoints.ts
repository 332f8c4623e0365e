/** The entry points the deployed module (functions/index.ts, built to build/functions/index.js) registers. */
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../../functions/index.js';

/** Whether functions/index.ts registers a Cloud Function under this name. */
export const isRegistered = (entryPoint: string): boolean => getFunction(entryPoint) !== undefined;
