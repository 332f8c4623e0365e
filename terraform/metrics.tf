# Metric descriptors for every entry of the metric catalog (shared/monitoring/metrics.json), the same file
# the TypeScript writer reads, so code and alerting cannot disagree on a metric's name, kind, unit or labels.

resource "google_monitoring_metric_descriptor" "catalog" {
  for_each     = { for metric in local.metric_catalog.metrics : metric.name => metric }
  project      = var.project_id
  type         = "${local.metric_prefix}${each.key}"
  metric_kind  = each.value.kind
  value_type   = each.value.valueType
  unit         = each.value.unit
  display_name = each.value.displayName
  description  = each.value.description

  dynamic "labels" {
    for_each = concat(local.metric_catalog.labels, try(each.value.extraLabels, []))
    content {
      key         = labels.value.key
      value_type  = "STRING"
      description = labels.value.description
    }
  }

  depends_on = [google_project_service.enabled]
}
