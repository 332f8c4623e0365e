# Messaging: one topic per message kind, each pushed to its function by a subscription this file owns (not
# an Eventarc trigger: gen2 triggers cannot dead-letter, see README.md), with retries, a dead-letter topic
# and a pull subscription that keeps the dead letters for inspection and replay.

resource "google_pubsub_topic" "source" {
  for_each                   = local.deployed_topics
  name                       = each.key
  message_retention_duration = "${var.topic_message_retention_seconds}s"
  depends_on                 = [google_project_service.enabled]
}

resource "google_pubsub_topic" "dead_letter" {
  for_each   = local.deployed_topics
  name       = "${each.key}-dead-letter"
  depends_on = [google_project_service.enabled]
}

# Messages published to a topic without subscriptions are lost: this one keeps the dead letters.
resource "google_pubsub_subscription" "dead_letter" {
  for_each                   = local.deployed_topics
  name                       = "${each.key}-dead-letters"
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_subscription" "push" {
  for_each = local.deployed_functions
  name     = "${each.value.topic}-${each.value.slug}"
  topic    = google_pubsub_topic.source[each.value.topic].id
  # For push delivery the ack deadline is also the request timeout: never shorter than the function's.
  ack_deadline_seconds       = var.function_resources.timeout_seconds
  enable_message_ordering    = each.value.ordered
  message_retention_duration = "604800s"

  push_config {
    # The /projects/P/topics/T path lets the Functions Framework fill the CloudEvent's source.
    push_endpoint = "${google_cloudfunctions2_function.monitor[each.key].service_config[0].uri}/projects/${var.project_id}/topics/${each.value.topic}"

    oidc_token {
      service_account_email = google_service_account.push.email
      audience              = google_cloudfunctions2_function.monitor[each.key].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "${var.push_delivery.minimum_backoff_seconds}s"
    maximum_backoff = "${var.push_delivery.maximum_backoff_seconds}s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.value.topic].id
    max_delivery_attempts = var.push_delivery.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [google_cloud_run_v2_service_iam_member.push_invoker]
}

# Dead-lettering needs the Pub/Sub service agent to publish to the dead-letter topic and to acknowledge
# (subscribe on) the source subscription.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.deployed_topics
  project  = var.project_id
  topic    = google_pubsub_topic.dead_letter[each.key].name
  role     = "roles/pubsub.publisher"
  member   = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = local.deployed_functions
  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}
