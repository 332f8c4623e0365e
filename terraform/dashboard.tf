# The engineers' dashboard: each monitor's statistics with the alert thresholds drawn on them (from the same
# alerts.json, via generated/alert-queries.json), sample sizes and pipeline health, filterable by model and
# segment, and the feature section by feature too (the label only the feature/* metrics carry). The JSON is built here; the API rewrites dashboards into a normal form that differs from any
# hand-written JSON (provider issue #16173, a perma-diff), so Terraform ignores the live JSON and replaces
# the dashboard when the JSON built here changes.

locals {
  alert_thresholds = jsondecode(file("${path.module}/generated/alert-queries.json")).thresholds

  # How often each monitor writes a point: the alignment that shows one point per window.
  chart_alignment_seconds = {
    drift       = 3600
    calibration = 86400
    lift        = 86400
    uplift      = 86400
    features    = 3600
  }

  # The labels that tell a chart's series apart: the catalog-wide ones and the metric's own (bin, decile).
  legend_labels = {
    for metric in local.metric_catalog.metrics : metric.name => concat(
      [for label in local.metric_catalog.labels : label.key],
      [for label in try(metric.extraLabels, []) : label.key],
    )
  }

  # One chart per entry; `metrics` are catalog names (checked against the catalog by test/terraform). `pick`
  # keeps only the top (or bottom) `count` series by their largest (or smallest) value over the chart's time
  # range: with up to 100 features per model, the features that moved most, whatever their name.
  monitor_charts = [
    { monitor = "drift", title = "Drift: PSI and its 99% null quantile (PSI above it is not noise)", metrics = ["drift/psi", "drift/psi_null99"] },
    { monitor = "drift", title = "Drift: KS statistic and p-value", metrics = ["drift/ks_statistic", "drift/ks_p_value"] },
    { monitor = "drift", title = "Drift: Wasserstein distance / baseline std", metrics = ["drift/wasserstein_normed"] },
    { monitor = "drift", title = "Drift: Jensen-Shannon distance and PSI p-value", metrics = ["drift/js_distance", "drift/psi_p_value"] },
    { monitor = "calibration", title = "Calibration: observed/expected with its 95% interval", metrics = ["calibration/oe_ratio", "calibration/oe_ratio_lower", "calibration/oe_ratio_upper"] },
    { monitor = "calibration", title = "Calibration: expected calibration error", metrics = ["calibration/ece"] },
    { monitor = "calibration", title = "Calibration: slope and intercept", metrics = ["calibration/slope", "calibration/intercept"] },
    { monitor = "calibration", title = "Calibration: Spiegelhalter p-value", metrics = ["calibration/spiegelhalter_p_value"] },
    { monitor = "calibration", title = "Calibration: reliability bins, observed rate per bin", metrics = ["calibration/bin_observed_rate"] },
    { monitor = "calibration", title = "Calibration: reliability bins, mean prediction per bin", metrics = ["calibration/bin_mean_prediction"] },
    { monitor = "lift", title = "Lift: realized/predicted with its 95% interval", metrics = ["lift/ratio", "lift/ratio_lower", "lift/ratio_upper"] },
    { monitor = "lift", title = "Lift: bias and mean absolute miss (conversion-rate points)", metrics = ["lift/bias", "lift/mean_absolute_miss"] },
    { monitor = "lift", title = "Lift: significant miss rate and interval coverage", metrics = ["lift/significant_miss_rate", "lift/interval_coverage", "lift/rank_correlation"] },
    { monitor = "uplift", title = "Uplift: Qini AUC with its 95% bootstrap interval", metrics = ["uplift/qini_auc", "uplift/qini_auc_lower", "uplift/qini_auc_upper"] },
    { monitor = "uplift", title = "Uplift: uplift AUC and uplift in the top 30%", metrics = ["uplift/uplift_auc", "uplift/uplift_at_30"] },
    { monitor = "features", title = "Features: drifting features per window (all, and among the top 5 by importance)", metrics = ["features/drifted", "features/top_drifted"] },
    { monitor = "features", title = "Features: features with broken data quality per window (all, and among the top 5 by importance)", metrics = ["features/quality_broken", "features/top_quality_broken"] },
    { monitor = "features", title = "Features: top 10 features by PSI (highest in the time range)", metrics = ["feature/psi"], pick = { rankingMethod = "METHOD_MAX", numTimeSeries = 10, direction = "TOP" } },
    { monitor = "features", title = "Features: importance-weighted drift (JS distance weighted by training importance) and largest PSI", metrics = ["features/importance_weighted_drift", "features/max_psi"] },
    { monitor = "features", title = "Features: missing share over time (top 10 by highest share; filter by feature for one)", metrics = ["feature/missing_share"], pick = { rankingMethod = "METHOD_MAX", numTimeSeries = 10, direction = "TOP" } },
    { monitor = "features", title = "Features: share outside the baseline's range (numeric) and of unseen categories (categorical), top 10", metrics = ["feature/out_of_range_share", "feature/unseen_share"], pick = { rankingMethod = "METHOD_MAX", numTimeSeries = 10, direction = "TOP" } },
    { monitor = "features", title = "Features: KS p-value (numeric) and chi-squared p-value (categorical), 10 lowest", metrics = ["feature/ks_p_value", "feature/chi_square_p_value"], pick = { rankingMethod = "METHOD_MIN", numTimeSeries = 10, direction = "BOTTOM" } },
    { monitor = "features", title = "Features: Jensen-Shannon distance and L-infinity (categorical), top 10", metrics = ["feature/js_distance", "feature/l_infinity"], pick = { rankingMethod = "METHOD_MAX", numTimeSeries = 10, direction = "TOP" } },
    { monitor = "drift", title = "Sample sizes: predictions per window and baseline size", metrics = ["drift/sample_size", "drift/reference_size"] },
    { monitor = "calibration", title = "Sample sizes: outcomes and positives per batch", metrics = ["calibration/sample_size", "calibration/positives"] },
    { monitor = "lift", title = "Sample sizes: campaigns per batch", metrics = ["lift/campaigns"] },
    { monitor = "uplift", title = "Sample sizes: treated and control units per batch", metrics = ["uplift/treated", "uplift/control"] },
    { monitor = "features", title = "Sample sizes: non-missing values per feature (10 smallest)", metrics = ["feature/n"], pick = { rankingMethod = "METHOD_MIN", numTimeSeries = 10, direction = "BOTTOM" } },
  ]

  metric_widgets = [
    for chart in local.monitor_charts : {
      title = chart.title
      xyChart = {
        chartOptions = { mode = "COLOR" }
        dataSets = [
          for metric in chart.metrics : {
            plotType       = "LINE"
            targetAxis     = "Y1"
            legendTemplate = join(" ", concat([metric], [for key in local.legend_labels[metric] : "$${metric.labels.${key}}"]))
            timeSeriesQuery = {
              timeSeriesFilter = merge({
                filter = "metric.type=\"${local.metric_prefix}${metric}\" resource.type=\"global\""
                aggregation = {
                  alignmentPeriod  = "${local.chart_alignment_seconds[chart.monitor]}s"
                  perSeriesAligner = "ALIGN_MEAN"
                }
              }, { for key, pick in { pickTimeSeriesFilter = try(chart.pick, null) } : key => pick if pick != null })
            }
          }
        ]
        thresholds = distinct(flatten([
          for metric in chart.metrics : [
            for line in lookup(local.alert_thresholds, metric, []) : merge(line, { targetAxis = "Y1" })
          ]
        ]))
        yAxis = { scale = "LINEAR" }
      }
    } if contains(var.monitors, chart.monitor)
  ]

  # Latest value per reliability bin, side by side: the reliability diagram as a table.
  reliability_widgets = contains(var.monitors, "calibration") ? [{
    title = "Calibration: reliability bins, observed rate vs mean prediction (latest)"
    timeSeriesTable = {
      columnSettings = []
      dataSets = [
        for metric in ["calibration/bin_observed_rate", "calibration/bin_mean_prediction", "calibration/bin_count"] : {
          tableTemplate = metric
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "metric.type=\"${local.metric_prefix}${metric}\" resource.type=\"global\""
              aggregation = {
                alignmentPeriod  = "${local.chart_alignment_seconds.calibration}s"
                perSeriesAligner = "ALIGN_MEAN"
              }
            }
          }
        }
      ]
      metricVisualization = "NUMBER"
    }
  }] : []

  # The latest statistics of every feature side by side, one row per (model, version, segment, feature): what the
  # feature_drift log line ranks, for any window on the time range; filter by model, segment or feature.
  feature_widgets = contains(var.monitors, "features") ? [{
    title = "Features: latest statistics per feature (PSI, JS distance, missing share, out-of-range, unseen, non-missing values)"
    timeSeriesTable = {
      columnSettings = []
      dataSets = [
        for metric in ["feature/psi", "feature/js_distance", "feature/missing_share", "feature/out_of_range_share", "feature/unseen_share", "feature/n"] : {
          tableTemplate = metric
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "metric.type=\"${local.metric_prefix}${metric}\" resource.type=\"global\""
              aggregation = {
                alignmentPeriod  = "${local.chart_alignment_seconds.features}s"
                perSeriesAligner = "ALIGN_MEAN"
              }
            }
          }
        }
      ]
      metricVisualization = "NUMBER"
    }
  }] : []

  # What the functions refused or could not write, from the log-based metrics (logging_metrics.tf).
  log_widgets = [
    for metric, title in {
      delivery_failures = "Refused messages and delivery failures by function, reason and model (log-based)"
      write_problems    = "Write problems and withheld windows by function, reason and model (log-based)"
      } : {
      title = title
      xyChart = {
        dataSets = [{
          plotType = "STACKED_BAR"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.liftwatch[metric].name}\""
              aggregation = {
                alignmentPeriod    = "3600s"
                perSeriesAligner   = "ALIGN_SUM"
                crossSeriesReducer = "REDUCE_SUM"
                groupByFields      = ["metric.label.function", "metric.label.reason", "metric.label.model"]
              }
            }
          }
        }]
      }
    }
  ]

  pipeline_widgets = [
    {
      title = "Pipeline: dead-lettered messages waiting"
      xyChart = {
        dataSets = [{
          plotType = "STACKED_BAR"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter      = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" resource.type=\"pubsub_subscription\" resource.label.subscription_id=${local.dead_letter_subscription_filter}"
              aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_MAX" }
            }
          }
        }]
        thresholds = [{ label = "any dead letter", value = 0, color = "YELLOW", direction = "ABOVE", targetAxis = "Y1" }]
      }
    },
    {
      title = "Pipeline: oldest unacknowledged message age (s)"
      xyChart = {
        dataSets = [{
          plotType = "LINE"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter      = "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" resource.type=\"pubsub_subscription\" resource.label.subscription_id=${local.push_subscription_filter}"
              aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_MAX" }
            }
          }
        }]
        thresholds = [{ label = "alert", value = var.pipeline_health.oldest_unacked_seconds, color = "RED", direction = "ABOVE", targetAxis = "Y1" }]
      }
    },
    {
      title = "Pipeline: function requests by response class"
      xyChart = {
        dataSets = [{
          plotType = "STACKED_BAR"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "metric.type=\"run.googleapis.com/request_count\" resource.type=\"cloud_run_revision\" resource.label.service_name=${local.function_service_filter}"
              aggregation = {
                alignmentPeriod    = "300s"
                perSeriesAligner   = "ALIGN_DELTA"
                crossSeriesReducer = "REDUCE_SUM"
                groupByFields      = ["resource.label.service_name", "metric.label.response_code_class"]
              }
            }
          }
        }]
      }
    },
  ]

  dashboard = {
    displayName = "liftwatch"
    # A filter applies to the charts whose series carry its label: feature narrows the feature/* charts only.
    dashboardFilters = concat([
      { filterType = "METRIC_LABEL", labelKey = "model" },
      { filterType = "METRIC_LABEL", labelKey = "segment" },
    ], contains(var.monitors, "features") ? [{ filterType = "METRIC_LABEL", labelKey = "feature" }] : [])
    gridLayout = {
      columns = 2
      widgets = concat(local.metric_widgets, local.reliability_widgets, local.feature_widgets, local.log_widgets, local.pipeline_widgets)
    }
  }
  dashboard_json = jsonencode(local.dashboard)
}

# Changes whenever the JSON built above changes, and then replaces the dashboard (see the top comment).
resource "terraform_data" "dashboard_revision" {
  input = sha256(local.dashboard_json)
}

resource "google_monitoring_dashboard" "liftwatch" {
  project        = var.project_id
  dashboard_json = local.dashboard_json

  lifecycle {
    ignore_changes       = [dashboard_json]
    replace_triggered_by = [terraform_data.dashboard_revision]
  }

  depends_on = [google_monitoring_metric_descriptor.catalog]
}
