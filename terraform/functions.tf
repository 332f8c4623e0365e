# The Cloud Functions (gen2), built from this repository's source. They have no event trigger: each is
# invoked over HTTP by its push subscription (pubsub.tf), and only the push service account may invoke it.

# The source as Cloud Build sees it: what `npm ci` (whose prepare script runs `npm run build`) and
# `npm run gcp-build` (the esbuild bundle that package.json's main names) read. Only the function code, its
# package and lock file, and the two compiler configurations ship; code that does not run in a function (the
# CLI, the local stack, the producers, benchmarks, tests, scripts) stays out. test/terraform/wiring.test.ts lists what ships.
data "archive_file" "source" {
  type        = "zip"
  source_dir  = "${path.module}/.."
  output_path = "${path.module}/.terraform/liftwatch-source.zip"
  excludes = [
    ".ci",
    ".git",
    ".gitignore",
    "README.md",
    "alerting",
    "bench",
    "bin",
    "biome.json",
    "build",
    "cli",
    "coverage",
    "local",
    "node_modules",
    "producers",
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

  # Functions whose messages need more memory each than a 1M-value prediction batch serve fewer pushes at once
  # from the same instance size: a 10 MB FeatureBatch (every column decoded, every numeric one sorted) is held
  # to 256 MiB peak RSS (the bound the feature benchmark checks, npm run bench), about 3.5 times what a
  # 1M-value prediction batch adds, so featureMonitor serves half the concurrency (4 of the default 8:
  # 75 MiB + 4 x 181 MiB, which includes one largest feature baseline, + 3 more cached baselines of at most 14 MB
  # (FEATURE_BASELINE_CACHE_ENTRIES, shared/runtime.ts) fits the default 1 GiB).
  function_concurrency_divisor = { featureMonitor = 2 }
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
    # One instance serves several pushes at once (README.md, Performance): a small message costs about 0.2 ms
    # of CPU in the handler and most of its time waits on the Monitoring write, so with one request per instance
    # an instance idles and Cloud Run starts more of them (each a cold start). Concurrency above 1 needs a whole
    # vCPU (below 1 Cloud Run requires concurrency 1); the memory default holds the concurrency's worth of large
    # batches: a 1M-value batch adds about 52 MiB to the 75 MiB of RSS before it (bench/rssProbe.mjs) plus its
    # 5-10 MB push body; the local burst peaks at 139-243 MiB per instance at concurrency 1.
    available_cpu                    = var.function_resources.available_cpu
    available_memory                 = var.function_resources.available_memory
    timeout_seconds                  = var.function_resources.timeout_seconds
    max_instance_count               = var.function_resources.max_instance_count
    max_instance_request_concurrency = max(1, floor(var.function_resources.max_instance_request_concurrency / lookup(local.function_concurrency_divisor, each.key, 1)))
    # Pub/Sub push reaches the function from Google's network at its public URL; IAM (run.invoker for the
    # push service account only, iam.tf) is what keeps everyone else out. See README.md.
    ingress_settings               = var.function_ingress
    all_traffic_on_latest_revision = true
    service_account_email          = google_service_account.function[each.key].email
    environment_variables          = merge({ GOOGLE_CLOUD_PROJECT = var.project_id }, local.monitor_environment)
  }

  depends_on = [google_project_iam_member.function, google_project_service.enabled]
}
