# Notification channels from variables, and which severities go where: CRITICAL pages through PagerDuty
# (email when no PagerDuty key is set), ERROR and WARNING go to email.

resource "google_monitoring_notification_channel" "email" {
  for_each     = toset(var.alert_email_addresses)
  project      = var.project_id
  display_name = "liftwatch email ${each.value}"
  type         = "email"
  labels = {
    email_address = each.value
  }
  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_notification_channel" "pagerduty" {
  count        = var.pagerduty_service_key == null ? 0 : 1
  project      = var.project_id
  display_name = "liftwatch PagerDuty"
  type         = "pagerduty"

  sensitive_labels {
    service_key = var.pagerduty_service_key
  }

  depends_on = [google_project_service.enabled]
}

locals {
  email_channels     = [for channel in google_monitoring_notification_channel.email : channel.name]
  pagerduty_channels = google_monitoring_notification_channel.pagerduty[*].name
  channels_by_severity = {
    CRITICAL = length(local.pagerduty_channels) > 0 ? local.pagerduty_channels : local.email_channels
    ERROR    = local.email_channels
    WARNING  = local.email_channels
  }
}
