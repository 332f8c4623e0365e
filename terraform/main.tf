# The table every other file builds from (which functions exist, where their messages come from, what
# their identities may do) and the lookups several files share.

provider "google" {
  project        = var.project_id
  region         = var.region
  default_labels = merge({ app = "liftwatch" }, var.labels)
}

data "google_project" "project" {
  project_id = var.project_id
}

locals {
  # One entry per Cloud Function, keyed by its entry point: the name it registers with functions.cloudEvent
  # in functions/*.ts. `ordered`: the subscription delivers in publish order per ordering key, which the
  # Monitoring writer relies on (points of a series must arrive in time order); registerBaseline needs no
  # order because the baseline store keeps the registration published last (registerFeatureBaseline likewise).
  # `roles`: the only project roles of the function's service account (iam.tf); driftMonitor and featureMonitor
  # only read baselines, so they get the read-only Firestore role. The slug names the service account
  # (liftwatch-SLUG, at most 30 characters), the function and its push subscription.
  functions = {
    registerBaseline = {
      monitor = "drift"
      slug    = "register-baseline"
      topic   = "baselines"
      ordered = false
      roles   = ["roles/datastore.user", "roles/logging.logWriter"]
    }
    driftMonitor = {
      monitor = "drift"
      slug    = "drift-monitor"
      topic   = "predictions"
      ordered = true
      roles   = ["roles/datastore.viewer", "roles/logging.logWriter", "roles/monitoring.metricWriter"]
    }
    calibrationMonitor = {
      monitor = "calibration"
      slug    = "calibration-monitor"
      topic   = "outcomes"
      ordered = true
      roles   = ["roles/logging.logWriter", "roles/monitoring.metricWriter"]
    }
    liftMonitor = {
      monitor = "lift"
      slug    = "lift-monitor"
      topic   = "campaign-results"
      ordered = true
      roles   = ["roles/logging.logWriter", "roles/monitoring.metricWriter"]
    }
    upliftMonitor = {
      monitor = "uplift"
      slug    = "uplift-monitor"
      topic   = "uplift-outcomes"
      ordered = true
      roles   = ["roles/logging.logWriter", "roles/monitoring.metricWriter"]
    }
    registerFeatureBaseline = {
      monitor = "features"
      slug    = "feature-baseline"
      topic   = "feature-baselines"
      ordered = false
      roles   = ["roles/datastore.user", "roles/logging.logWriter"]
    }
    featureMonitor = {
      monitor = "features"
      slug    = "feature-monitor"
      topic   = "features"
      ordered = true
      roles   = ["roles/datastore.viewer", "roles/logging.logWriter", "roles/monitoring.metricWriter"]
    }
  }

  deployed_functions = { for name, fn in local.functions : name => fn if contains(var.monitors, fn.monitor) }
  # Topic name => the function it feeds (one each).
  deployed_topics = { for name, fn in local.deployed_functions : fn.topic => name }

  # The metric catalog the TypeScript writer reads: descriptors, alerts and the dashboard are built from it.
  metric_catalog = jsondecode(file("${path.module}/../shared/monitoring/metrics.json"))
  metric_prefix  = local.metric_catalog.typePrefix

  # The Pub/Sub service agent: it dead-letters messages and mints the push subscriptions' OIDC tokens.
  pubsub_service_agent = "serviceAccount:service-${data.google_project.project.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}
