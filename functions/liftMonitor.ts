/** Cloud Function liftMonitor (topic `campaign-results`): does the promotion deliver the lift the model promised? */
import * as functions from '@google-cloud/functions-framework';
import { handleDelivery, type MessagePublishedData } from '../shared/delivery.js';
import { LIFT_FUNCTION, monitorCampaignLift } from '../shared/monitors/lift.js';
import { runtime } from '../shared/runtime.js';

functions.cloudEvent(LIFT_FUNCTION, (event: functions.CloudEvent<MessagePublishedData>) =>
  handleDelivery(LIFT_FUNCTION, event, (delivery) => monitorCampaignLift(delivery, runtime())),
);
