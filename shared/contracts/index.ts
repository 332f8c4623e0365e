/** Every message contract; zod schemas are the only source of message types. */
export * from './binCounts.js';
export * from './bits.js';
export * from './common.js';
export * from './decode.js';
export * from './featureColumns.js';
export * from './featureDecoding.js';
export * from './features.js';
export * from './float32.js';
export * from './lift.js';
export * from './outcomes.js';
export * from './predictions.js';
export * from './uint16.js';
export * from './values.js';
