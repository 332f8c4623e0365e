/**
 * The errors that decide what happens to a Pub/Sub delivery: a permanent error is logged and acknowledged
 * (redelivering it cannot help), anything else is thrown so that Pub/Sub redelivers. The choice is made in one
 * place, handleDelivery in shared/delivery.ts, by the error's class.
 */

/** One reason a message was refused, naming the field (a dotted path, e.g. `segment.market`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Base class of the errors that redelivery cannot fix. */
export class PermanentError extends Error {
  /** The machine-readable reason, e.g. `invalid_message`, `unknown_baseline`. */
  readonly reason: string = 'permanent';
}

/** The message is not a valid liftwatch message: bad JSON, a field that breaks the contract, too large. */
export class InvalidMessageError extends PermanentError {
  override readonly reason = 'invalid_message';
  readonly issues: FieldIssue[];
  /** The model and version the refused message claims, when they are short strings: for finding it in the logs. */
  readonly claimed: { model?: string; modelVersion?: string };
  constructor(issues: FieldIssue[], claimed: { model?: string; modelVersion?: string } = {}) {
    super(issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '));
    this.name = 'InvalidMessageError';
    this.issues = issues;
    this.claimed = claimed;
  }
}

/** The message that registers a baseline and its topic: a prediction Baseline, or a FeatureBaseline. */
export interface BaselineRegistration {
  /** What is missing, as the refusal names it (`baseline`, `feature baseline`). */
  noun: string;
  message: string;
  topic: string;
}

export const PREDICTION_BASELINE: BaselineRegistration = {
  noun: 'baseline',
  message: 'Baseline',
  topic: 'baselines',
};

/**
 * A batch names a (model, modelVersion) that has no registered baseline of its kind: a PredictionBatch without a
 * Baseline, or a FeatureBatch without a FeatureBaseline. One reason for both, so one log metric counts them.
 */
export class UnknownBaselineError extends PermanentError {
  override readonly reason = 'unknown_baseline';
  constructor(
    readonly model: string,
    readonly modelVersion: string,
    registration: BaselineRegistration = PREDICTION_BASELINE,
  ) {
    super(
      `no ${registration.noun} registered for model ${model} version ${modelVersion}; publish a ${registration.message} message for it to the ${registration.topic} topic first`,
    );
    this.name = 'UnknownBaselineError';
  }
}

/**
 * A binned window (`binCounts`) counted in bins that are not its baseline's: another model version's, an older
 * registration's, or made up. Its counts cannot be compared; the producer must re-read the binning (`liftwatch bins`).
 */
export class BinningMismatchError extends PermanentError {
  override readonly reason = 'binning_mismatch';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'BinningMismatchError';
  }
}

/** The points cannot be accepted by Cloud Monitoring whatever we do (too old, rejected by the API as invalid). */
export class UnwritableError extends PermanentError {
  override readonly reason = 'unwritable';
  constructor(message: string) {
    super(message);
    this.name = 'UnwritableError';
  }
}

/**
 * A failure that redelivery may fix: a dependency unavailable, timing out or out of quota, or a permission being
 * granted (Firestore PERMISSION_DENIED is retried too). Thrown, so the function answers 500 and Pub/Sub redelivers.
 */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableError';
  }
}
