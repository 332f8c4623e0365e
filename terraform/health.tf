# Pipeline health: the alerts that say liftwatch itself is not working (a silent monitor pages nobody).
# A model version, or a listed segment, whose alert-bearing metric is missing for longer than its monitor's
# cadence + publish delay + slack (the lookback of its alerts: "late" and "missing" are one definition),
# dead-lettered messages, messages stuck unacknowledged, and functions answering with server errors.
#
# Absence is PromQL, not condition_absent: condition_absent caps its duration at 23.5 hours, which a daily
# monitor plus its publication delay exceeds. The queries come from generated/alert-queries.json (rendered by
# alerting/alerts.ts and judged by promtool in test/alerting/promtool.test.ts).

locals {
  absence_monitors = toset([for monitor in var.monitors : monitor])
  absence_memory   = coalesce(var.absence_memory_seconds, local.alert_catalog.timing.absenceMemorySeconds)
  absence_queries = {
    for monitor in local.absence_monitors : monitor => replace(replace(
      local.alert_generated.absence[monitor].query, "__LOOKBACK__", "${local.current_seconds[monitor]}s"),
    "__MEMORY__", "${local.absence_memory}s")
  }
  # One absent_over_time per listed segment, joined with `or`: one policy per monitor, one incident per segment.
  segment_absence_queries = {
    for monitor, required in var.required_segments : monitor => join("\nor\n", [
      for entry in required : replace(replace(replace(replace(
        local.alert_generated.absence[monitor].segmentQuery,
        "__LOOKBACK__", "${local.current_seconds[monitor]}s"),
        "__PROJECT__", var.project_id),
        "__MODEL__", entry.model),
      "__SEGMENT__", entry.segment)
    ]) if contains(var.monitors, monitor) && length(required) > 0
  }

  dead_letter_subscription_filter = "one_of(${join(", ", [for subscription in google_pubsub_subscription.dead_letter : "\"${subscription.name}\""])})"
  push_subscription_filter        = "one_of(${join(", ", [for subscription in google_pubsub_subscription.push : "\"${subscription.name}\""])})"
  function_service_filter         = "one_of(${join(", ", [for function in google_cloudfunctions2_function.monitor : "\"${function.name}\""])})"
}

resource "google_monitoring_alert_policy" "metrics_absent" {
  for_each              = local.absence_monitors
  project               = var.project_id
  display_name          = "liftwatch pipeline: a model version stopped producing ${each.key} statistics"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.channels_by_severity.ERROR
  user_labels           = { app = "liftwatch", alert = "${each.key}_version_absent", monitor = each.key, severity = "error" }

  conditions {
    display_name = "${local.alert_generated.absence[each.key].metric} absent for ${local.current_seconds[each.key]}s, per model version"

    condition_prometheus_query_language {
      query                     = local.absence_queries[each.key]
      duration                  = "0s"
      evaluation_interval       = "${local.monitor_timing[each.key].evaluation_interval_seconds}s"
      rule_group                = "liftwatch_${each.key}_absence"
      alert_rule                = "${each.key}_version_absent"
      disable_metric_validation = true
    }
  }

  documentation {
    subject   = "[liftwatch ERROR] A model version stopped producing ${each.key} statistics"
    mime_type = "text/markdown"
    content   = <<-EOT
      ## A model version stopped producing ${each.key} statistics

      No segment of this model version wrote `${local.alert_generated.absence[each.key].metric}` for
      ${local.current_seconds[each.key] / 60} minutes: its cadence (${local.monitor_timing[each.key].cadence_seconds / 60} min),
      the publication delay liftwatch tolerates (${local.monitor_timing[each.key].publish_delay_seconds / 60} min) and
      ${local.alert_catalog.timing.ingestionSlackSeconds / 60} min of slack, the same span its alerts read a point for. The
      statistic is withheld when a window is below its monitor's minimum sample, so a version whose windows stay thin
      pages here too. Either the producer stopped, every message is refused or failing, or the version was retired.

      **First checks**
      1. Refusals: Logs Explorer, `resource.type="cloud_run_revision" jsonPayload.model="MODEL" severity>=NOTICE`:
         `reason` (`invalid_message`, `unknown_baseline`, `unwritable`, `binning_mismatch`) or `event` (`insufficient_data`,
         `points_rejected`) says why; the log-based refusal alerts may already be open.
      2. Producer: are messages still published to the topic? Cloud Console > Pub/Sub > the topic > Metrics.
      3. Dead letters: `gcloud pubsub subscriptions pull TOPIC-dead-letters --limit=1 --format=json > message.json`,
         then replay it with the liftwatch CLI (`npx liftwatch --help` lists the commands; each reads that file).

      **Silencing.** A retired version keeps this alert open for ${local.absence_memory / 86400} days (the
      absence memory), then forgets it: snooze the policy for that version (Alerting > Snoozes).
    EOT
  }

  alert_strategy {
    auto_close = "${var.alert_strategy.auto_close_seconds}s"
  }
}

resource "google_monitoring_alert_policy" "segments_absent" {
  for_each              = local.segment_absence_queries
  project               = var.project_id
  display_name          = "liftwatch pipeline: a required segment stopped producing ${each.key} statistics"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.channels_by_severity.ERROR
  user_labels           = { app = "liftwatch", alert = "${each.key}_segment_absent", monitor = each.key, severity = "error" }

  conditions {
    display_name = "a segment of var.required_segments.${each.key} wrote no ${local.alert_generated.absence[each.key].metric} for ${local.current_seconds[each.key]}s"

    condition_prometheus_query_language {
      query                     = each.value
      duration                  = "0s"
      evaluation_interval       = "${local.monitor_timing[each.key].evaluation_interval_seconds}s"
      rule_group                = "liftwatch_${each.key}_absence"
      alert_rule                = "${each.key}_segment_absent"
      disable_metric_validation = true
    }
  }

  documentation {
    subject   = "[liftwatch ERROR] A required segment stopped producing ${each.key} statistics"
    mime_type = "text/markdown"
    content   = <<-EOT
      ## A required segment stopped producing ${each.key} statistics

      A segment listed in `required_segments.${each.key}` wrote no `${local.alert_generated.absence[each.key].metric}`
      for ${local.current_seconds[each.key] / 60} minutes (cadence, tolerated delay and slack), or never has. Only
      listed segments page: a segment that stops without being listed is seen only on the dashboard.

      **First checks**
      1. Is the segment still produced upstream (a market switched off, a segment key renamed)?
      2. Refusals and thin windows: Logs Explorer, `jsonPayload.segment="SEGMENT" severity>=NOTICE`.
      3. Replay its last message with the liftwatch CLI (`npx liftwatch --help`).

      **Silencing.** Remove the segment from `required_segments` when it is retired.
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
