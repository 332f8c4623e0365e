/** Cloud Function featureMonitor (topic `features`): drift and data quality of a window's input features. */
import * as functions from '@google-cloud/functions-framework';
import { handleDelivery, type MessagePublishedData } from '../shared/delivery.js';
import { FEATURE_FUNCTION, monitorFeatures } from '../shared/monitors/features.js';
import { runtime } from '../shared/runtime.js';

functions.cloudEvent<MessagePublishedData>(
  FEATURE_FUNCTION,
  (event: functions.CloudEvent<MessagePublishedData>) =>
    handleDelivery(FEATURE_FUNCTION, event, (delivery) => monitorFeatures(delivery, runtime())),
);
