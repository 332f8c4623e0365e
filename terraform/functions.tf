# The Cloud Functions (gen2), built from this repository's source. They have no event trigger: each is
# invoked over HTTP by its push subscription (pubsub.tf), and only the push service account may invoke it.

# The source as Cloud Build sees it: package.json, the lock file and what `npm run build` compiles.
data "archive_file" "source" {
  type        = "zip"
  source_dir  = "${path.module}/.."
  output_path = "${path.module}/.terraform/liftwatch-source.zip"
  excludes = [
    ".ci",
    ".git",
    "alerting",
    "bench",
    "build",
    "coverage",
    "local",
    "node_modules",
    "report",
    "schemas",
    "scripts",
    "terraform",
    "test",
    "test-output",
  ]
}

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-liftwatch-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  depends_on                  = [google_project_service.enabled]
}

# The content hash in the object name makes a code change a new object, hence a new deployment.
resource "google_storage_bucket_object" "source" {
  name   = "liftwatch-source-${data.archive_file.source.output_sha256}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

locals {
  # Tunables the functions read (shared/runtime.ts); unset ones keep the code's documented defaults.
  monitor_environment = {
    for name, value in {
      LIFTWATCH_BASELINE_CACHE_SECONDS   = var.monitor_settings.baseline_cache_seconds
      LIFTWATCH_CALIBRATION_MIN_EXPECTED = var.monitor_settings.calibration_min_expected
      LIFTWATCH_CALIBRATION_MIN_SAMPLE   = var.monitor_settings.calibration_min_sample
      LIFTWATCH_DRIFT_MIN_SAMPLE         = var.monitor_settings.drift_min_sample
      LIFTWATCH_LIFT_MIN_CAMPAIGNS       = var.monitor_settings.lift_min_campaigns
      LIFTWATCH_UPLIFT_MIN_PER_ARM       = var.monitor_settings.uplift_min_per_arm
    } : name => tostring(value) if value != null
  }
}

resource "google_cloudfunctions2_function" "monitor" {
  for_each    = local.deployed_functions
  name        = "liftwatch-${each.value.slug}"
  location    = var.region
  description = "liftwatch ${each.key}: pushed from topic ${each.value.topic}"

  build_config {
    runtime         = "nodejs24"
    entry_point     = each.key
    service_account = var.build_service_account

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = var.function_resources.available_memory
    timeout_seconds                  = var.function_resources.timeout_seconds
    max_instance_count               = var.function_resources.max_instance_count
    max_instance_request_concurrency = 1
    # Pub/Sub push reaches the function from Google's network at its public URL; IAM (run.invoker for the
    # push service account only, iam.tf) is what keeps everyone else out. See README.md.
    ingress_settings               = var.function_ingress
    all_traffic_on_latest_revision = true
    service_account_email          = google_service_account.function[each.key].email
    environment_variables          = merge({ GOOGLE_CLOUD_PROJECT = var.project_id }, local.monitor_environment)
  }

  depends_on = [google_project_iam_member.function, google_project_service.enabled]
}
