# The monitors' alert policies, one per alert in alerting/alerts.json (thresholds live there, once),
# with the PromQL query and Markdown runbook that scripts/generate-alert-queries.ts renders from it into
# generated/alert-queries.json (a test fails when that file is stale). The queries carry __LOOKBACK__ for
# the range: here it becomes each monitor's cadence + publish delay + slack, from alerts.json's timing or
# var.monitor_timing, so a producer known to publish later gets a longer lookback without a code change.

locals {
  alert_catalog   = jsondecode(file("${path.module}/../alerting/alerts.json"))
  alert_generated = jsondecode(file("${path.module}/generated/alert-queries.json"))
  alert_rendering = local.alert_generated.alerts

  # Per monitor: alerts.json's timing, with var.monitor_timing's overrides.
  monitor_timing = {
    for monitor, timing in local.alert_catalog.timing.monitors : monitor => {
      cadence_seconds             = coalesce(try(var.monitor_timing[monitor].cadence_seconds, null), timing.cadenceSeconds)
      publish_delay_seconds       = coalesce(try(var.monitor_timing[monitor].publish_delay_seconds, null), timing.publishDelaySeconds)
      evaluation_interval_seconds = coalesce(try(var.monitor_timing[monitor].evaluation_interval_seconds, null), timing.evaluationIntervalSeconds)
    }
  }
  # How long a point stays current, and how long a series may be silent before it is missing: one span.
  current_seconds = {
    for monitor, timing in local.monitor_timing : monitor => timing.cadence_seconds + timing.publish_delay_seconds + local.alert_catalog.timing.ingestionSlackSeconds
  }

  monitor_alerts = {
    for alert in local.alert_catalog.alerts : alert.name => merge(alert, local.alert_rendering[alert.name], {
      query = replace(
        local.alert_rendering[alert.name].query,
        "__LOOKBACK__",
        "${max(try(alert.lookbackSeconds, 0), local.current_seconds[alert.monitor])}s",
      )
      evaluation_interval_seconds = local.monitor_timing[alert.monitor].evaluation_interval_seconds
    })
    if contains(var.monitors, alert.monitor)
  }
}

resource "google_monitoring_alert_policy" "monitor" {
  for_each              = local.monitor_alerts
  project               = var.project_id
  display_name          = "liftwatch ${each.value.displayName}"
  combiner              = "OR"
  severity              = each.value.severity
  notification_channels = local.channels_by_severity[each.value.severity]
  user_labels = {
    app      = "liftwatch"
    alert    = each.key
    monitor  = each.value.monitor
    severity = lower(each.value.severity)
  }

  conditions {
    display_name = each.value.displayName

    # One incident per (project_id, model, model_version, segment) whose conditions all hold for the
    # duration. Evaluated at the monitor's interval: alerting is billed per evaluation and series returned,
    # and an hourly (or daily) point changes nothing between two evaluations a minute apart.
    condition_prometheus_query_language {
      query               = each.value.query
      duration            = "${each.value.durationSeconds}s"
      evaluation_interval = "${each.value.evaluation_interval_seconds}s"
      rule_group          = "liftwatch_${each.value.monitor}"
      alert_rule          = each.key
      # The descriptors are created in the same apply, asynchronously; the queries are checked against the
      # catalog by test/terraform instead.
      disable_metric_validation = true
    }
  }

  documentation {
    subject   = each.value.subject
    content   = each.value.content
    mime_type = "text/markdown"
  }

  # notification_rate_limit only applies to log-match conditions (provider schema: "not implemented for
  # alert policies that are not log-based"); reminders for open incidents use renotify_interval instead.
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

  depends_on = [google_monitoring_metric_descriptor.catalog]
}
