output "alert_policies" {
  description = "Alert policy resource names, keyed by alert name (alerting/alerts.json), by absence alert (MONITOR_version_absent, MONITOR_segment_absent), by log-based alert and by pipeline-health alert."
  value = merge(
    { for name, policy in google_monitoring_alert_policy.monitor : name => policy.name },
    { for monitor, policy in google_monitoring_alert_policy.metrics_absent : "${monitor}_version_absent" => policy.name },
    { for monitor, policy in google_monitoring_alert_policy.segments_absent : "${monitor}_segment_absent" => policy.name },
    { for name, policy in google_monitoring_alert_policy.logs : "log_${name}" => policy.name },
    {
      dead_letters    = google_monitoring_alert_policy.dead_letters.name
      function_errors = google_monitoring_alert_policy.function_errors.name
      unacked_age     = google_monitoring_alert_policy.unacked_age.name
    },
  )
}

output "dashboard_url" {
  description = "The liftwatch dashboard in the Cloud Console (the URL changes when a change to dashboard.tf replaces the dashboard)."
  value       = "https://console.cloud.google.com/monitoring/dashboards/builder/${reverse(split("/", google_monitoring_dashboard.liftwatch.id))[0]}?project=${var.project_id}"
}

output "dead_letter_subscriptions" {
  description = "Pull subscriptions holding each topic's dead letters, keyed by topic: pull from them to inspect and replay."
  value       = { for topic, subscription in google_pubsub_subscription.dead_letter : topic => subscription.name }
}

output "function_service_accounts" {
  description = "Email of each function's service account, keyed by entry point."
  value       = { for name, account in google_service_account.function : name => account.email }
}

output "function_urls" {
  description = "HTTPS endpoint of each function, keyed by entry point; only the push service account may invoke it."
  value       = { for name, function in google_cloudfunctions2_function.monitor : name => function.service_config[0].uri }
}

output "notification_channels" {
  description = "Notification channel resource names per severity, as the alert policies use them."
  value       = local.channels_by_severity
}

output "push_service_account" {
  description = "Email of the service account whose OIDC tokens the push subscriptions send."
  value       = google_service_account.push.email
}

output "source_object" {
  description = "gs:// URL of the uploaded function source; its name carries the archive's SHA-256."
  value       = "gs://${google_storage_bucket.source.name}/${google_storage_bucket_object.source.name}"
}

output "topics" {
  description = "Topic resource IDs keyed by topic name: producers publish here (with orderingKey = model/version/segment)."
  value       = { for name, topic in google_pubsub_topic.source : name => topic.id }
}
