/** Cloud Function upliftMonitor (topic `uplift-outcomes`): does the model still rank listeners by uplift? */
import * as functions from '@google-cloud/functions-framework';
import { handleDelivery, type MessagePublishedData } from '../shared/delivery.js';
import { monitorUplift, UPLIFT_FUNCTION } from '../shared/monitors/uplift.js';
import { runtime } from '../shared/runtime.js';

functions.cloudEvent(UPLIFT_FUNCTION, (event: functions.CloudEvent<MessagePublishedData>) =>
  handleDelivery(UPLIFT_FUNCTION, event, (delivery) => monitorUplift(delivery, runtime())),
);
