# Pipeline health: the alerts that say liftwatch itself is not working (a silent monitor pages nobody).
# No metrics from a model for longer than its cadence, dead-lettered messages, messages stuck unacknowledged,
# and functions answering with server errors.

locals {
  # Each monitor's count metric, written for every processed message even when the statistics are withheld.
  cadence_metrics = {
    drift       = "drift/sample_size"
    calibration = "calibration/sample_size"
    lift        = "lift/campaigns"
    uplift      = "uplift/sample_size"
  }
  absence_alerts = {
    for monitor, seconds in var.pipeline_health.absence_seconds : monitor => seconds if contains(var.monitors, monitor)
  }

  dead_letter_subscription_filter = "one_of(${join(", ", [for subscription in google_pubsub_subscription.dead_letter : "\"${subscription.name}\""])})"
  push_subscription_filter        = "one_of(${join(", ", [for subscription in google_pubsub_subscription.push : "\"${subscription.name}\""])})"
  function_service_filter         = "one_of(${join(", ", [for function in google_cloudfunctions2_function.monitor : "\"${function.name}\""])})"
}

resource "google_monitoring_alert_policy" "metrics_absent" {
  for_each              = local.absence_alerts
  project               = var.project_id
  display_name          = "liftwatch pipeline: no ${each.key} metrics from a model"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.channels_by_severity.ERROR
  user_labels           = { app = "liftwatch", alert = "${each.key}_metrics_absent", monitor = each.key, severity = "error" }

  conditions {
    display_name = "${local.cadence_metrics[each.key]} absent for ${each.value}s, per model"

    condition_absent {
      filter   = "metric.type=\"${local.metric_prefix}${local.cadence_metrics[each.key]}\" AND resource.type=\"global\""
      duration = "${each.value}s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.model"]
      }
    }
  }

  documentation {
    subject   = "[liftwatch ERROR] No ${each.key} metrics from a model"
    mime_type = "text/markdown"
    content   = <<-EOT
      ## No ${each.key} metrics from a model for ${each.value / 60} minutes

      `${local.cadence_metrics[each.key]}` is written for every ${each.key} message liftwatch processes, so its
      absence means no message for this model was processed: the producer stopped, messages are failing
      (see the dead-letter and unacknowledged-age alerts), or the model was retired.

      **First checks**
      1. Producer: are messages still published to the topic? Cloud Console > Pub/Sub > the topic > Metrics
         (published messages); the model may also have been renamed or retired upstream.
      2. Dead letters: `gcloud pubsub subscriptions pull TOPIC-dead-letters --limit=1 --format=json > message.json`,
         then replay it with the liftwatch CLI (`npx liftwatch --help` lists the commands; each reads that file).
      3. Function logs: Logs Explorer, `resource.type="cloud_run_revision" severity>=WARNING`, for rejected or
         failing messages of this model.

      **Silencing.** A retired model keeps this alert open until auto-close: snooze the policy for that model
      (Alerting > Snoozes), or remove the model's series by letting them age out.
    EOT
  }

  alert_strategy {
    auto_close = "${var.alert_strategy.auto_close_seconds}s"
  }
}

resource "google_monitoring_alert_policy" "dead_letters" {
  project               = var.project_id
  display_name          = "liftwatch pipeline: dead-lettered messages"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.channels_by_severity.ERROR
  user_labels           = { app = "liftwatch", alert = "dead_letters", severity = "error" }

  conditions {
    display_name = "messages waiting on a dead-letter subscription"

    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.type=\"pubsub_subscription\" AND resource.label.subscription_id=${local.dead_letter_subscription_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    subject   = "[liftwatch ERROR] Messages were dead-lettered"
    mime_type = "text/markdown"
    content   = <<-EOT
      ## Messages were dead-lettered

      A message failed every delivery attempt (${var.push_delivery.max_delivery_attempts}) and now waits on
      `TOPIC-dead-letters`. liftwatch acknowledges messages it refuses (invalid input is logged, not retried),
      so a dead letter means a failure that persisted: Cloud Monitoring or Firestore unavailable, a timeout, a
      crash, or a push authentication problem.

      **First checks**
      1. Pull one without acknowledging it: `gcloud pubsub subscriptions pull TOPIC-dead-letters --limit=1 --format=json > message.json`,
         and replay it with the liftwatch CLI (`npx liftwatch drift --baseline baseline.json --batch message.json`, or the
         command for its topic in `npx liftwatch --help`): a refusal or crash there reproduces the bug.
      2. Function logs around the message's publish time: `resource.type="cloud_run_revision" severity>=ERROR`.
      3. The push subscription's delivery errors (Pub/Sub > subscription > Metrics, push request count by response class):
         403 means the push service account lost run.invoker.

      **After the fix**, republish the dead letters to their topic (`gcloud pubsub topics publish TOPIC --message=...`
      with the original ordering key) and acknowledge them; windows older than 25 hours can no longer be written.

      **Silencing.** Acknowledge the dead letters once handled: the alert closes when the subscription is empty.
    EOT
  }

  alert_strategy {
    auto_close = "${var.alert_strategy.auto_close_seconds}s"
  }
}

resource "google_monitoring_alert_policy" "unacked_age" {
  project               = var.project_id
  display_name          = "liftwatch pipeline: messages stuck unacknowledged"
  combiner              = "OR"
  severity              = "CRITICAL"
  notification_channels = local.channels_by_severity.CRITICAL
  user_labels           = { app = "liftwatch", alert = "unacked_age", severity = "critical" }

  conditions {
    display_name = "oldest unacknowledged message older than ${var.pipeline_health.oldest_unacked_seconds}s"

    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND resource.type=\"pubsub_subscription\" AND resource.label.subscription_id=${local.push_subscription_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = var.pipeline_health.oldest_unacked_seconds
      duration        = "300s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    subject   = "[liftwatch CRITICAL] Messages stuck on a push subscription"
    mime_type = "text/markdown"
    content   = <<-EOT
      ## Messages stuck on a push subscription

      A message has waited more than ${var.pipeline_health.oldest_unacked_seconds} s for its function to
      accept it. Subscriptions deliver in order per model, version and segment, so one failing message holds
      back the later windows of its series until it succeeds or is dead-lettered: monitoring for that series
      is stalled.

      **First checks**
      1. Function health: Cloud Run > the liftwatch service > Metrics (5xx, instance count at max_instance_count, latency at the timeout).
      2. Function logs: `resource.type="cloud_run_revision" severity>=ERROR` for the failing message's model.
      3. Replay the stuck window with the liftwatch CLI against its message (see terraform/README.md, 'Fetching a message').

      **Silencing.** Do not snooze a stalled pipeline; if the message cannot succeed, let it dead-letter or
      seek the subscription past it (`gcloud pubsub subscriptions seek SUBSCRIPTION --time=...`).
    EOT
  }

  alert_strategy {
    auto_close = "${var.alert_strategy.auto_close_seconds}s"
  }
}

resource "google_monitoring_alert_policy" "function_errors" {
  project               = var.project_id
  display_name          = "liftwatch pipeline: function server-error rate"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.channels_by_severity.ERROR
  user_labels           = { app = "liftwatch", alert = "function_errors", severity = "error" }

  conditions {
    display_name = "5xx share of requests above ${var.pipeline_health.error_ratio} over ${var.pipeline_health.error_window_seconds}s"

    condition_threshold {
      filter             = "metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\" AND resource.label.service_name=${local.function_service_filter} AND metric.label.response_code_class=\"5xx\""
      denominator_filter = "metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\" AND resource.label.service_name=${local.function_service_filter}"
      comparison         = "COMPARISON_GT"
      threshold_value    = var.pipeline_health.error_ratio
      duration           = "0s"

      aggregations {
        alignment_period     = "${var.pipeline_health.error_window_seconds}s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }

      denominator_aggregations {
        alignment_period     = "${var.pipeline_health.error_window_seconds}s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }

  documentation {
    subject   = "[liftwatch ERROR] A function answers with server errors"
    mime_type = "text/markdown"
    content   = <<-EOT
      ## A liftwatch function answers with server errors

      A share above ${var.pipeline_health.error_ratio} of a function's requests failed with 5xx over
      ${var.pipeline_health.error_window_seconds} s. The functions answer 5xx only for failures worth
      retrying (Cloud Monitoring or Firestore unavailable, quota, a crash); Pub/Sub redelivers those with backoff
      and dead-letters them after ${var.push_delivery.max_delivery_attempts} attempts.

      **First checks**
      1. Function logs: `resource.type="cloud_run_revision" severity>=ERROR`, grouped by message: one cause or many?
      2. Google Cloud status for Cloud Monitoring, Firestore and Cloud Run in ${var.region}.
      3. Replay a failing window with the liftwatch CLI against its message (terraform/README.md, 'Fetching a message'):
         a crash there is a liftwatch bug.

      **Silencing.** Snooze only while a known platform incident lasts; the alert closes when the error share drops.
    EOT
  }

  alert_strategy {
    auto_close = "${var.alert_strategy.auto_close_seconds}s"
  }
}
