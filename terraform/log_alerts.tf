# Alerts on the log-based metrics of logging_metrics.tf: messages liftwatch keeps refusing, points Cloud
# Monitoring rejects, batches for an unregistered model version, statistics that are not finite; and, for
# statistics withheld on thin data, an absence alert on the alert-bearing metrics.
#
# Threshold conditions, not PromQL as in alerts.tf: these alerts count log lines over a stated window, and
# PromQL in Cloud Monitoring only reads a DELTA counter through rate()/increase(), whose window it widens to
# the query step when shorter and inter/extrapolates differently from Prometheus (Managed Service for
# Prometheus, "PromQL compatibility"), so a count of 1 need not read as 1. ALIGN_SUM over alignment_period sums
# exactly the lines of that window. Not log-match conditions (condition_matched_log) either: they notify per
# matching entry, with neither a window nor a per-model incident that closes when the lines stop.
#
# What pages and what is only counted, reason by reason (local.log_reasons):
# - invalid_message, unwritable, binning_mismatch: WARNING when they persist for a model (refused_messages); one
#   malformed message, or one burst of them, does not page (a pipeline still counting in the bins of a baseline
#   registered again an hour ago corrects itself when it re-reads them).
# - unknown_baseline: WARNING at once (driftMonitor without a Baseline, featureMonitor without a
#   FeatureBaseline); every refused window is lost unless republished within 25 h.
# - points_rejected: WARNING at once; CRITICAL when nothing of the message was written (nothing_written).
# - statistics_not_finite: WARNING at once: message values are bounded so that no statistic overflows, so a
#   NaN is degenerate input or a bug, and no other alert sees the missing statistic.
# - retryable: counted only; health.tf pages on what persists (function_errors, dead_letters, unacked_age).
# - insufficient_data: counted only; a window below the minimum sample is normal for a small segment. Data that
#   stays thin blinds the monitor's alerts: health.tf's metrics_absent pages on that absence instead (it
#   watches each monitor's alert-bearing metric, which is withheld below the minimum sample).
# - fit_not_converged, slope_withheld: counted only; separated outcomes, or too few observed events for a
#   slope; O/E, ECE and Spiegelhalter are still written and still page.
# - baseline_stale, feature_baseline_stale: counted only; the newer registration stays in force.

locals {
  # The replay command for a message of each function (README.md, 'The CLI'); message.json is the refused
  # message as published, or one message as `gcloud pubsub subscriptions pull --format=json` prints it.
  log_replay_commands = {
    registerBaseline   = "npx liftwatch drift --baseline message.json --batch batch.json"
    driftMonitor       = "npx liftwatch drift --baseline baseline.json --batch message.json"
    calibrationMonitor = "npx liftwatch calibration --batch message.json"
    liftMonitor        = "npx liftwatch lift --batch message.json"
    upliftMonitor      = "npx liftwatch uplift --batch message.json"
    # A feature baseline is checked against any FeatureBatch of its version, and the reverse.
    registerFeatureBaseline = "npx liftwatch features --baseline message.json --batch feature-batch.json"
    featureMonitor          = "npx liftwatch features --baseline feature-baseline.json --batch message.json"
  }
  log_replay_list = join("\n", [for name, fn in local.functions : "- ${name} (topic `${fn.topic}`): `${local.log_replay_commands[name]}`"])

  # window_seconds: the sliding count window (ALIGN_SUM); the condition holds while its count is above 0, for
  # duration_seconds. group_by: the metric labels one incident is opened for.
  log_alerts = {
    # Persisting, not one-off: a single refusal keeps a 90 min count above 0 for 90 min, so holding for 2 h
    # needs refusals for at least 30 min with no 90 min gap between them: two consecutive hourly windows (the
    # 30 min beyond the hour absorbs the producers' jitter; with a 1 h window an hourly producer's count could
    # drop to 0 between windows and restart the duration), or a stream of faster messages. Producers that
    # publish less often than every 90 min (daily outcomes) do not trip it: their refusals show on the
    # delivery_failures chart, and when every message of a model is refused, as metrics_absent (health.tf).
    refused_messages = {
      only_for_monitors = []
      severity          = "WARNING"
      metric            = "delivery_failures"
      reasons           = ["binning_mismatch", "invalid_message", "unwritable"]
      window_seconds    = 5400
      duration_seconds  = 7200
      group_by          = ["function", "model", "reason"]
      display_name      = "liftwatch logs: messages of a model keep being refused"
      condition         = "invalid_message, unwritable or binning_mismatch refusals, no 90 min without one, for 2 h, per function, model and reason"
      subject           = "[liftwatch WARNING] Messages of model $${metric.label.model} keep being refused ($${metric.label.reason})"
      content           = <<-EOT
        ## Messages of a model keep being refused

        `$${metric.label.function}` has refused messages of model `$${metric.label.model}` with reason
        `$${metric.label.reason}` for two hours: refusals kept coming for at least 30 minutes, never 90 minutes
        apart. A refused message is acknowledged and writes nothing: each one is a window missing from the
        model's metrics, which its alerts cannot see. `invalid_message`: the producer publishes messages that
        break the contract (the log line's `issues` names each bad field). `unwritable`: the windows end more
        than 25 hours ago or more than 5 minutes ahead (a late backfill, or a producer's clock). `binning_mismatch`:
        binned windows (`binCounts`) counted in bins that are not the registered baseline's (the pipeline kept the
        binning of an earlier registration or of another version): re-read it with
        `npx liftwatch bins --baseline baseline.json` and give the pipeline those edges. An empty model
        means the messages claim none, or one that is not a valid model name.

        **First checks**
        1. Replay one refused message with the liftwatch CLI (commands below). Find it in the logs:
           `gcloud logging read 'resource.type="cloud_run_revision" AND jsonPayload.reason="$${metric.label.reason}" AND jsonPayload.model="$${metric.label.model}"' --freshness=3h --limit=5 --format=json | jq '.[].jsonPayload | {function, messageId, modelVersion, segment, windowEnd, issues}'`,
           then fetch it by `messageId` from the topic's retention (terraform/README.md, 'Fetching a message'):
           refused messages are acknowledged, so they are not on the dead-letter subscription. The CLI refuses an
           invalid message with the same issues; it does not check the window's age.
        2. The same field every time (a producer release, a contract change) or changing (corrupt data)? For
           `unwritable`, compare each line's `windowEnd` with its timestamp.
        3. Tell the producer's owners. Once fixed, republish the refused windows that are still writable (ended
           less than 25 hours ago) to their topic, in window order, with the ordering key model/version/segment.

        **Replay commands**, by function:
        ${local.log_replay_list}

        **Silencing.** The incident closes 90 minutes after the last refusal. While the producer is being fixed,
        snooze this policy for the model (Alerting > Snoozes); loosening the contract is not the fix.
      EOT
    }
    unknown_baseline = {
      only_for_monitors = ["drift", "features"]
      severity          = "WARNING"
      metric            = "delivery_failures"
      reasons           = ["unknown_baseline"]
      window_seconds    = 600
      duration_seconds  = 0
      group_by          = ["function", "model"]
      display_name      = "liftwatch logs: batches for a model version with no baseline"
      condition         = "unknown_baseline refusals in the last 10 min, per function and model"
      subject           = "[liftwatch WARNING] No baseline registered for a version of model $${metric.label.model} ($${metric.label.function})"
      content           = <<-EOT
        ## Batches for a model version with no baseline

        `$${metric.label.function}` refused batches of model `$${metric.label.model}` because no baseline of their
        kind is registered for their model version (`unknown_baseline`): driftMonitor needs a Baseline (topic
        `baselines`), featureMonitor a FeatureBaseline (topic `feature-baselines`). That version's drift (or its
        feature drift and data quality) is not measured, and each refused window is lost unless it is republished
        within 25 hours of its end. Usually a new model version went live before its baseline was published, or
        the baseline was refused or sent elsewhere.

        **First checks**
        1. Which versions: `gcloud logging read 'resource.type="cloud_run_revision" AND jsonPayload.reason="unknown_baseline" AND jsonPayload.function="$${metric.label.function}" AND jsonPayload.model="$${metric.label.model}"' --freshness=1h --format='value(jsonPayload.modelVersion)' | sort -u`.
        2. Was a baseline published and refused? `gcloud logging read 'resource.type="cloud_run_revision" AND jsonPayload.function=("registerBaseline" OR "registerFeatureBaseline") AND jsonPayload.model="$${metric.label.model}"' --freshness=2d --limit=10`:
           `baseline_registered` (`feature_baseline_registered`) names each registered version, a refusal the bad field.
        3. Check the version's baseline against a refused batch (fetched as in terraform/README.md, 'Fetching a
           message'): `npx liftwatch drift --baseline baseline.json --batch message.json`, or for featureMonitor
           `npx liftwatch features --baseline feature-baseline.json --batch message.json`.
        4. Register it (README.md, 'Message contracts'): `gcloud pubsub topics publish baselines --message="$(cat baseline.json)"`,
           then `gcloud functions logs read liftwatch-register-baseline --region=${var.region} --limit=10` shows
           `baseline registered for MODEL VERSION`; for featureMonitor `gcloud pubsub topics publish feature-baselines --message="$(cat feature-baseline.json)"`
           and `gcloud functions logs read liftwatch-feature-baseline --region=${var.region} --limit=10`
           (`feature baseline registered for MODEL VERSION`).
        5. Republish the refused batches that are still writable (window ended less than 25 hours ago) to
           `predictions` (or `features`), in window order, with their ordering key model/version/segment.

        **Silencing.** The incident closes 10 minutes after the last refusal. For a version that is being retired
        without a baseline, snooze this policy for the model until its batches stop.
      EOT
    }
    points_rejected = {
      only_for_monitors = []
      severity          = "WARNING"
      metric            = "write_problems"
      reasons           = ["points_rejected"]
      window_seconds    = 600
      duration_seconds  = 0
      group_by          = ["function", "model"]
      display_name      = "liftwatch logs: Cloud Monitoring rejected points"
      condition         = "points_rejected lines in the last 10 min, per function and model"
      subject           = "[liftwatch WARNING] Cloud Monitoring rejected points of model $${metric.label.model}"
      content           = <<-EOT
        ## Cloud Monitoring rejected points

        Cloud Monitoring refused points of model `$${metric.label.model}` from `$${metric.label.function}` as
        invalid (`points_rejected`). The message was acknowledged: those series miss this window, and writing
        again cannot help until the cause is fixed. The API's reason is in the log line (`rejectedSeries` lists
        up to 20, `rejected` counts them all). Usual causes: metric descriptors that differ from the catalog
        (shared/monitoring/metrics.json changed and deployed without a Terraform apply, or the reverse), a
        label value the API refuses, or a Cloud Monitoring quota.

        **First checks**
        1. Replay the message with the liftwatch CLI (commands below; find its `messageId` with step 2 and fetch it
           as in terraform/README.md, 'Fetching a message'): the statistics it prints are what was written.
        2. The API's reason: `gcloud logging read 'resource.type="cloud_run_revision" AND jsonPayload.event="points_rejected" AND jsonPayload.model="$${metric.label.model}"' --freshness=1h --limit=3 --format=json | jq '.[].jsonPayload | {function, messageId, written, rejected, rejectedSeries}'`.
        3. Descriptors: `terraform plan` in terraform/ must show no change to `google_monitoring_metric_descriptor.catalog`;
           quotas: IAM & Admin > Quotas, Cloud Monitoring.

        **Replay commands**, by function:
        ${local.log_replay_list}

        **Silencing.** The incident closes 10 minutes after the last rejection. A message none of whose points
        were written also opens the CRITICAL 'nothing written' incident: handle that one.
      EOT
    }
    nothing_written = {
      only_for_monitors = []
      severity          = "CRITICAL"
      metric            = "nothing_written"
      reasons           = ["points_rejected"]
      window_seconds    = 600
      duration_seconds  = 0
      group_by          = ["function", "model"]
      display_name      = "liftwatch logs: nothing of a model's message was written"
      condition         = "messages with every point rejected in the last 10 min, per function and model"
      subject           = "[liftwatch CRITICAL] Nothing of model $${metric.label.model} reached Cloud Monitoring"
      content           = <<-EOT
        ## Nothing of a model's message reached Cloud Monitoring

        Cloud Monitoring rejected every point of a `$${metric.label.function}` message of model
        `$${metric.label.model}` (`points_rejected` with `written` = 0, and none held from an earlier delivery).
        That window is missing from every metric of the model, so none of its alerts can fire on it; while it
        repeats, the model is not monitored. Everything rejected usually means the metric descriptors and the
        code disagree (a catalog change deployed without a Terraform apply, or the reverse) or a quota is spent.

        **First checks**
        1. Replay the message with the liftwatch CLI (commands below; find its `messageId` with step 2 and fetch it
           as in terraform/README.md, 'Fetching a message'): it shows what was to be written.
        2. The API's reason, and whether other models are hit too: `gcloud logging read 'resource.type="cloud_run_revision" AND jsonPayload.event="points_rejected" AND jsonPayload.written=0' --freshness=1h --limit=10 --format=json | jq '.[].jsonPayload | {function, model, messageId, rejectedSeries}'`.
           Every model at once is a deployment problem: apply Terraform (descriptors) or roll back the functions.
        3. `terraform plan` in terraform/: a pending change to `google_monitoring_metric_descriptor.catalog` is the cause.

        **Replay commands**, by function:
        ${local.log_replay_list}

        **Silencing.** Do not snooze a model that is not monitored. The incident closes 10 minutes after the last
        such message; republish the lost windows (less than 25 hours old, in window order) once writes succeed.
      EOT
    }
    statistics_not_finite = {
      only_for_monitors = []
      severity          = "WARNING"
      metric            = "write_problems"
      reasons           = ["statistics_not_finite"]
      window_seconds    = 600
      duration_seconds  = 0
      group_by          = ["function", "model"]
      display_name      = "liftwatch logs: statistics of a model came out NaN or infinite"
      condition         = "statistics_not_finite lines in the last 10 min, per function and model"
      subject           = "[liftwatch WARNING] Statistics of model $${metric.label.model} are not finite"
      content           = <<-EOT
        ## Statistics of a model came out NaN or infinite

        `$${metric.label.function}` computed statistics of model `$${metric.label.model}` that are NaN or infinite
        (`statistics_not_finite`). They were not written (Cloud Monitoring cannot hold them), so the alerts on them
        cannot fire for that window. Message values are bounded so that no statistic overflows: this is degenerate
        input (constant predictions, a baseline of a single value) or a liftwatch bug.

        **First checks**
        1. Replay the message with the liftwatch CLI (commands below; find it with step 2, fetch it as in
           terraform/README.md, 'Fetching a message'). A NaN from valid input is a bug: keep the message as a test case.
        2. Which statistics: `gcloud logging read 'resource.type="cloud_run_revision" AND jsonPayload.event="statistics_not_finite" AND jsonPayload.model="$${metric.label.model}"' --freshness=1h --limit=5 --format=json | jq '.[].jsonPayload | {function, messageId, modelVersion, segment, statistics}'`.
        3. Degenerate data: fix the producer, or register a baseline of the version's real predictions.

        **Replay commands**, by function:
        ${local.log_replay_list}

        **Silencing.** The incident closes 10 minutes after the last such line. For a known degenerate model,
        snooze this policy for it until the producer is fixed.
      EOT
    }
  }
  deployed_log_alerts = {
    for name, alert in local.log_alerts : name => alert
    if length(alert.only_for_monitors) == 0 || length(setintersection(alert.only_for_monitors, var.monitors)) > 0
  }
}

resource "google_monitoring_alert_policy" "logs" {
  for_each              = local.deployed_log_alerts
  project               = var.project_id
  display_name          = each.value.display_name
  combiner              = "OR"
  severity              = each.value.severity
  notification_channels = local.channels_by_severity[each.value.severity]
  user_labels = {
    app      = "liftwatch"
    alert    = each.key
    severity = lower(each.value.severity)
  }

  conditions {
    display_name = each.value.condition

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.liftwatch[each.value.metric].name}\" AND resource.type=\"cloud_run_revision\" AND metric.label.reason=one_of(${join(", ", formatlist("\"%s\"", each.value.reasons))})"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "${each.value.duration_seconds}s"
      # A log-based series has points only while lines match: no data is no refusal, and closes the incident.
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"

      aggregations {
        alignment_period     = "${each.value.window_seconds}s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = [for label in each.value.group_by : "metric.label.${label}"]
      }
    }
  }

  documentation {
    subject   = each.value.subject
    content   = each.value.content
    mime_type = "text/markdown"
  }

  alert_strategy {
    auto_close           = "${var.alert_strategy.auto_close_seconds}s"
    notification_prompts = ["OPENED", "CLOSED"]

    dynamic "notification_channel_strategy" {
      for_each = lookup(var.alert_strategy.renotify_seconds, each.value.severity, null) == null ? [] : [each.value.severity]
      content {
        notification_channel_names = local.channels_by_severity[notification_channel_strategy.value]
        renotify_interval          = "${var.alert_strategy.renotify_seconds[notification_channel_strategy.value]}s"
      }
    }
  }
}
