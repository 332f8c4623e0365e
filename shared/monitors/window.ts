/** The series identity of a windowed message, annotated on every log line of its delivery. */
import type { Segment } from '../contracts/common.js';
import type { Delivery } from '../delivery.js';
import { type SeriesIdentity, segmentLabel } from '../monitoring/series.js';
import type { Runtime } from '../runtime.js';

export interface WindowedMessage {
  model: string;
  modelVersion: string;
  segment?: Segment | undefined;
  windowEnd: string;
}

export function windowIdentity(
  delivery: Delivery,
  message: WindowedMessage,
  runtime: Runtime,
): SeriesIdentity {
  const endTime = new Date(message.windowEnd);
  delivery.annotate({
    model: message.model,
    modelVersion: message.modelVersion,
    segment: segmentLabel(message.segment),
    windowEnd: endTime.toISOString(),
  });
  return {
    projectId: runtime.projectId,
    model: message.model,
    modelVersion: message.modelVersion,
    segment: message.segment,
    endTime,
  };
}
