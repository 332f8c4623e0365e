/** Cloud Function calibrationMonitor (topic `outcomes`): are predicted probabilities still true? */
import * as functions from '@google-cloud/functions-framework';
import { handleDelivery, type MessagePublishedData } from '../shared/delivery.js';
import { CALIBRATION_FUNCTION, monitorCalibration } from '../shared/monitors/calibration.js';
import { runtime } from '../shared/runtime.js';

functions.cloudEvent(CALIBRATION_FUNCTION, (event: functions.CloudEvent<MessagePublishedData>) =>
  handleDelivery(CALIBRATION_FUNCTION, event, (delivery) => monitorCalibration(delivery, runtime())),
);
