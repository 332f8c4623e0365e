/** Cloud Function registerFeatureBaseline (topic `feature-baselines`): summarise and store a version's features. */
import * as functions from '@google-cloud/functions-framework';
import { handleDelivery, type MessagePublishedData } from '../shared/delivery.js';
import {
  REGISTER_FEATURE_BASELINE_FUNCTION,
  registerFeatureBaseline,
} from '../shared/monitors/featureBaseline.js';
import { runtime } from '../shared/runtime.js';

functions.cloudEvent<MessagePublishedData>(
  REGISTER_FEATURE_BASELINE_FUNCTION,
  (event: functions.CloudEvent<MessagePublishedData>) =>
    handleDelivery(REGISTER_FEATURE_BASELINE_FUNCTION, event, (delivery) =>
      registerFeatureBaseline(delivery, runtime()),
    ),
);
