# Log-based metrics: what liftwatch refuses, rejects or withholds, counted from the structured lines the
# functions log (shared/log.ts: one JSON object per line on stdout, which Cloud Logging reads into jsonPayload
# with `severity` promoted to the entry's severity). The alert policies on them are in log_alerts.tf.

locals {
  # Every `reason` and `event` value the functions log, in one place, and the metric that counts it (null: the
  # line reports nothing wrong). test/terraform/logMetrics.test.ts derives the same values from the code
  # (PermanentError subclasses, handleDelivery, the monitors' log calls) and fails when one is missing here.
  log_reasons = {
    # handleDelivery (shared/delivery.ts): jsonPayload.reason of a refused message (acknowledged = true) ...
    invalid_message  = "delivery_failures" # bad JSON, a field breaking the contract, too large
    unknown_baseline = "delivery_failures" # a batch for a model version with no registered baseline (Baseline or FeatureBaseline)
    unwritable       = "delivery_failures" # a window Cloud Monitoring can never accept (over 25 h old, in the future)
    binning_mismatch = "delivery_failures" # a binned window (binCounts) counted in bins that are not its baseline's
    # ... and of a failure Pub/Sub redelivers (acknowledged = false)
    retryable = "delivery_failures"
    # jsonPayload.event of the monitors' lines (shared/monitors/*.ts) at NOTICE or above
    points_rejected        = "write_problems" # ERROR: Cloud Monitoring refused points as invalid
    statistics_not_finite  = "write_problems" # WARNING: a statistic came out NaN or infinite, not written
    insufficient_data      = "write_problems" # NOTICE: below the minimum sample, alert-bearing statistics withheld
    fit_not_converged      = "write_problems" # WARNING: calibration slope and intercept withheld
    slope_withheld         = "write_problems" # NOTICE: calibration slope withheld, too few observed events
    baseline_stale         = "write_problems" # WARNING: a late older registration did not replace the stored baseline
    feature_baseline_stale = "write_problems" # WARNING: the same, for a feature baseline
    # Events that say what went right: not counted.
    baseline_registered         = null
    feature_baseline_registered = null
    campaign_lift               = null # INFO: per-campaign detail of liftMonitor
    feature_drift               = null # INFO; NOTICE when a feature drifts or is broken: featureMonitor's ranked features (the feature alerts page on them)
    points_written              = null # INFO; NOTICE when points were already held (a redelivery): nothing lost
  }
  log_metric_reasons = {
    for metric in ["delivery_failures", "write_problems"] :
    metric => sort([for reason, counted_by in local.log_reasons : reason if counted_by == metric])
  }

  # The Cloud Run services of the deployed functions (a gen2 function runs as the Cloud Run service of its name).
  log_function_services = [for function in google_cloudfunctions2_function.monitor : function.name]
  log_source_filter     = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=(${join(" OR ", formatlist("\"%s\"", local.log_function_services))})"

  # `reason_field` fills the `reason` label: the refusal's reason, or the problem's event name. Each filter
  # lists the values it counts, so the label takes only values from local.log_reasons.
  log_metrics = {
    delivery_failures = {
      display_name = "liftwatch: refused or failed deliveries"
      description  = "Messages a liftwatch function refused (acknowledged, nothing written: invalid_message, unknown_baseline, unwritable, binning_mismatch) or failed on (retryable: Pub/Sub redelivers), by function (registerBaseline, driftMonitor, calibrationMonitor, liftMonitor, upliftMonitor, registerFeatureBaseline, featureMonitor), reason and model."
      filter       = "severity>=ERROR AND jsonPayload.acknowledged:* AND jsonPayload.reason=(${join(" OR ", formatlist("\"%s\"", local.log_metric_reasons.delivery_failures))})"
      reason_field = "jsonPayload.reason"
    }
    write_problems = {
      display_name = "liftwatch: rejected or withheld points"
      description  = "Processed messages whose points Cloud Monitoring rejected, or whose statistics liftwatch withheld (insufficient data, not finite, fit not converged), and stale baseline or feature baseline registrations, by function (registerBaseline, driftMonitor, calibrationMonitor, liftMonitor, upliftMonitor, registerFeatureBaseline, featureMonitor), event (label reason) and model."
      filter       = "severity>=NOTICE AND jsonPayload.event=(${join(" OR ", formatlist("\"%s\"", local.log_metric_reasons.write_problems))})"
      reason_field = "jsonPayload.event"
    }
    # A points_rejected line of a message none of whose points reached Cloud Monitoring, now or from an earlier
    # delivery (superseded = 0): that window of the model is missing entirely.
    nothing_written = {
      display_name = "liftwatch: messages with nothing written"
      description  = "Processed messages none of whose points Cloud Monitoring accepted (points_rejected with written = 0 and superseded = 0), by function and model."
      filter       = "severity>=ERROR AND jsonPayload.event=\"points_rejected\" AND jsonPayload.written=0 AND jsonPayload.superseded=0"
      reason_field = "jsonPayload.event"
    }
  }

  # The model label is bounded like the custom metrics' labels: a model is logged only after the message
  # validated (windowIdentity, registerBaseline annotate it), except for invalid_message refusals, which log
  # the model the message claims (shared/contracts/decode.ts claimedIdentity: any string of at most 64
  # characters, not checked against the model pattern). The extractor therefore keeps a model only when it
  # matches the contract's pattern (shared/contracts/common.ts ModelName); any other claim, and a message
  # that claims none, counts under the empty model "" (the label's default when extraction fails).
  log_model_extractor = "REGEXP_EXTRACT(jsonPayload.model, \"^([a-z][a-z0-9_-]{0,62})$\")"
}

resource "google_logging_metric" "liftwatch" {
  for_each    = local.log_metrics
  project     = var.project_id
  name        = "liftwatch/${each.key}"
  description = each.value.description
  filter      = "${local.log_source_filter} AND ${each.value.filter}"

  label_extractors = {
    function = "EXTRACT(jsonPayload.function)"
    model    = local.log_model_extractor
    reason   = "EXTRACT(${each.value.reason_field})"
  }

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = each.value.display_name

    labels {
      key         = "function"
      value_type  = "STRING"
      description = "The entry point that logged the line (registerBaseline, driftMonitor, calibrationMonitor, liftMonitor, upliftMonitor, registerFeatureBaseline, featureMonitor)."
    }
    labels {
      key         = "model"
      value_type  = "STRING"
      description = "The message's model; empty when it claims none or one that does not match ^[a-z][a-z0-9_-]{0,62}$."
    }
    labels {
      key         = "reason"
      value_type  = "STRING"
      description = "The refusal's reason or the problem's event, one of the values the metric's filter lists."
    }
  }

  depends_on = [google_project_service.enabled]
}
