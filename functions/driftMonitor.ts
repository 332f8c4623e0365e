/** Cloud Function driftMonitor (topic `predictions`): drift of a window's predictions against the baseline. */
import * as functions from '@google-cloud/functions-framework';
import { handleDelivery, type MessagePublishedData } from '../shared/delivery.js';
import { DRIFT_FUNCTION, monitorDrift } from '../shared/monitors/drift.js';
import { runtime } from '../shared/runtime.js';

functions.cloudEvent<MessagePublishedData>(
  DRIFT_FUNCTION,
  (event: functions.CloudEvent<MessagePublishedData>) =>
    handleDelivery(DRIFT_FUNCTION, event, (delivery) => monitorDrift(delivery, runtime())),
);
