/** Cloud Function registerBaseline (topic `baselines`): summarise and store a model version's baseline. */
import * as functions from '@google-cloud/functions-framework';
import { handleDelivery, type MessagePublishedData } from '../shared/delivery.js';
import { registerBaseline } from '../shared/monitors/baseline.js';
import { runtime } from '../shared/runtime.js';

functions.cloudEvent<MessagePublishedData>(
  'registerBaseline',
  (event: functions.CloudEvent<MessagePublishedData>) =>
    handleDelivery('registerBaseline', event, (delivery) => registerBaseline(delivery, runtime())),
);
