variable "absence_memory_seconds" {
  description = "How long a model version that stopped reporting is remembered, and its absence alert stays open, before it is forgotten (a retired version pages once, then resolves after this); null uses alerting/alerts.json's absenceMemorySeconds (7 days)."
  type        = number
  default     = null
  validation {
    condition     = var.absence_memory_seconds == null || try(var.absence_memory_seconds >= 86400 && var.absence_memory_seconds <= 2678400 && var.absence_memory_seconds % 60 == 0, false)
    error_message = "absence_memory_seconds must be whole minutes between 86400 (1 day) and 2678400 (31 days)."
  }
}

variable "alert_email_addresses" {
  description = "Email addresses notified of WARNING and ERROR alerts (and of CRITICAL ones when no PagerDuty key is set)."
  type        = list(string)
  validation {
    condition     = length(var.alert_email_addresses) > 0 && alltrue([for address in var.alert_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "Give at least one email address, each like oncall@example.com: alerts with no channel notify nobody."
  }
}

variable "alert_strategy" {
  description = "How open incidents behave: auto_close_seconds closes an incident whose series has had no data that long; renotify_seconds re-sends notifications of an open incident per severity (CRITICAL, ERROR, WARNING; omit a severity for no reminders)."
  type = object({
    auto_close_seconds = optional(number, 172800)
    renotify_seconds   = optional(map(number), { CRITICAL = 14400 })
  })
  default = {}
  validation {
    condition     = var.alert_strategy.auto_close_seconds >= 1800 && var.alert_strategy.auto_close_seconds <= 604800 && var.alert_strategy.auto_close_seconds % 60 == 0
    error_message = "auto_close_seconds must be a whole number of minutes between 1800 (30 min) and 604800 (7 days)."
  }
  validation {
    condition     = alltrue([for severity, seconds in var.alert_strategy.renotify_seconds : contains(["CRITICAL", "ERROR", "WARNING"], severity) && seconds >= 300 && seconds % 60 == 0])
    error_message = "renotify_seconds keys must be CRITICAL, ERROR or WARNING, and each value a whole number of minutes of at least 300 s."
  }
}

variable "build_service_account" {
  description = "Fully qualified service account Cloud Build uses to build the functions (projects/PROJECT/serviceAccounts/EMAIL); null uses the project's default build account."
  type        = string
  default     = null
  validation {
    condition     = var.build_service_account == null || can(regex("^projects/[^/]+/serviceAccounts/[^/]+@[^/]+$", var.build_service_account))
    error_message = "build_service_account must look like projects/PROJECT/serviceAccounts/NAME@PROJECT.iam.gserviceaccount.com."
  }
}

variable "create_firestore_database" {
  description = "Create the project's (default) Firestore database in Native mode for the baselines; false when the project already has one (a project has one default database, and Terraform cannot adopt it without an import)."
  type        = bool
  default     = true
}

variable "firestore_location" {
  description = "Location of the Firestore database (a region such as europe-west1, or a multi-region such as eur3); null uses var.region. Cannot be changed after creation."
  type        = string
  default     = null
}

variable "function_ingress" {
  description = "Ingress of the functions. ALLOW_ALL: Pub/Sub push reaches them at their public URL and IAM (run.invoker for the push service account only) keeps everyone else out. See README.md before tightening it."
  type        = string
  default     = "ALLOW_ALL"
  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.function_ingress)
    error_message = "function_ingress must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "function_resources" {
  description = "Size of every function instance. available_cpu (vCPUs) and max_instance_request_concurrency (pushes one instance serves at once) go together: Cloud Run allows concurrency above 1 only with at least 1 vCPU. The defaults serve 8 pushes at once on 1 vCPU, and available_memory fits 8 concurrent 1M-value batches (each adds about 52 MiB to the 75 MiB of RSS before it in the benchmarks, plus its push body of up to 10 MB) with headroom. featureMonitor serves at most half that concurrency (local.function_concurrency_divisor): a 10 MB FeatureBatch may peak at 256 MiB. timeout_seconds is also the push subscriptions' ack deadline, so at most 600."
  type = object({
    available_cpu                    = optional(string, "1")
    available_memory                 = optional(string, "1Gi")
    timeout_seconds                  = optional(number, 120)
    max_instance_count               = optional(number, 10)
    max_instance_request_concurrency = optional(number, 8)
  })
  default = {}
  validation {
    condition     = can(regex("^[0-9]+(M|Mi|G|Gi)$", var.function_resources.available_memory))
    error_message = "available_memory must be a size such as 512M, 1Gi or 2G."
  }
  validation {
    condition     = can(tonumber(var.function_resources.available_cpu)) && try(tonumber(var.function_resources.available_cpu) >= 0.08 && tonumber(var.function_resources.available_cpu) <= 8, false)
    error_message = "available_cpu must be a number of vCPUs between 0.08 and 8, such as \"1\" or \"0.5\"."
  }
  validation {
    condition     = var.function_resources.max_instance_request_concurrency >= 1 && var.function_resources.max_instance_request_concurrency <= 1000 && floor(var.function_resources.max_instance_request_concurrency) == var.function_resources.max_instance_request_concurrency
    error_message = "max_instance_request_concurrency must be a whole number between 1 and 1000."
  }
  validation {
    condition     = var.function_resources.max_instance_request_concurrency == 1 || try(tonumber(var.function_resources.available_cpu) >= 1, false)
    error_message = "max_instance_request_concurrency above 1 needs available_cpu of at least 1: Cloud Run requires concurrency 1 below one vCPU."
  }
  validation {
    condition     = var.function_resources.timeout_seconds >= 10 && var.function_resources.timeout_seconds <= 600
    error_message = "timeout_seconds must be between 10 and 600: Pub/Sub push waits at most 600 s (the ack deadline) for an answer."
  }
  validation {
    condition     = var.function_resources.max_instance_count >= 1 && var.function_resources.max_instance_count <= 100
    error_message = "max_instance_count must be between 1 and 100."
  }
}

variable "labels" {
  description = "Labels added to every resource that takes labels (the provider's default_labels), besides app = liftwatch."
  type        = map(string)
  default     = {}
}

variable "monitor_settings" {
  description = "Minimum sample sizes and caches the functions read from their environment (shared/runtime.ts documents each and its default); null keeps the code's default. drift_min_sample and baseline_cache_seconds also apply to featureMonitor (the non-missing values a feature needs before its distribution statistics are written) and to its feature baselines."
  type = object({
    baseline_cache_seconds   = optional(number)
    calibration_min_expected = optional(number)
    calibration_min_sample   = optional(number)
    drift_min_sample         = optional(number)
    lift_min_campaigns       = optional(number)
    uplift_min_per_arm       = optional(number)
  })
  default = {}
  validation {
    condition     = alltrue([for value in values(var.monitor_settings) : value == null || try(value > 0, false)])
    error_message = "Every monitor setting must be a positive number (or null for the code's default)."
  }
}

variable "monitor_timing" {
  description = "Per monitor (calibration, drift, features, lift, uplift), overrides of alerting/alerts.json's timing: cadence_seconds (time between consecutive windows of a series), publish_delay_seconds (the largest delay from a window's end until its point is visible in Cloud Monitoring: producer lateness plus ingestion; defaults 1800 for drift and features, 21600 for the daily monitors) and evaluation_interval_seconds (how often the policies are evaluated; alerting is billed per evaluation). Every lookback and absence span becomes cadence + publish delay + the catalog's slack."
  type = map(object({
    cadence_seconds             = optional(number)
    publish_delay_seconds       = optional(number)
    evaluation_interval_seconds = optional(number)
  }))
  default = {}
  validation {
    condition     = alltrue([for monitor, timing in var.monitor_timing : contains(["calibration", "drift", "features", "lift", "uplift"], monitor)])
    error_message = "monitor_timing keys must be monitors: calibration, drift, features, lift, uplift."
  }
  validation {
    condition = alltrue(flatten([for timing in values(var.monitor_timing) : [
      timing.cadence_seconds == null || try(timing.cadence_seconds >= 60 && timing.cadence_seconds % 60 == 0, false),
      timing.publish_delay_seconds == null || try(timing.publish_delay_seconds >= 0 && timing.publish_delay_seconds <= 86400 && timing.publish_delay_seconds % 60 == 0, false),
      timing.evaluation_interval_seconds == null || try(timing.evaluation_interval_seconds >= 30 && timing.evaluation_interval_seconds <= 3600 && timing.evaluation_interval_seconds % 30 == 0, false),
    ]]))
    error_message = "cadence_seconds must be whole minutes of at least 60; publish_delay_seconds whole minutes between 0 and 86400; evaluation_interval_seconds a multiple of 30 between 30 and 3600 (Cloud Monitoring evaluates PromQL on multiples of 30 s)."
  }
}

variable "monitors" {
  description = "The monitors to deploy: drift (registerBaseline and driftMonitor), features (registerFeatureBaseline and featureMonitor: input feature drift and data quality), calibration, lift, uplift. Each brings its topics, subscriptions, functions and alerts; metric descriptors are always created for the whole catalog."
  type        = set(string)
  default     = ["calibration", "drift", "features", "lift", "uplift"]
  validation {
    condition     = length(var.monitors) > 0 && alltrue([for monitor in var.monitors : contains(["calibration", "drift", "features", "lift", "uplift"], monitor)])
    error_message = "monitors must be a non-empty subset of calibration, drift, features, lift and uplift."
  }
}

variable "pagerduty_service_key" {
  description = "Integration key of the PagerDuty service that pages on-call for CRITICAL alerts; null sends CRITICAL alerts to the email channels instead."
  type        = string
  default     = null
  sensitive   = true
}

variable "pipeline_health" {
  description = "Thresholds of the pipeline-health alerts: oldest_unacked_seconds (a message waiting that long for its function), error_ratio over error_window_seconds (share of 5xx answers). Absence follows each monitor's timing (variables-alerts.tf)."
  type = object({
    oldest_unacked_seconds = optional(number, 3600)
    error_ratio            = optional(number, 0.05)
    error_window_seconds   = optional(number, 900)
  })
  default = {}
  validation {
    condition     = var.pipeline_health.oldest_unacked_seconds >= 60 && var.pipeline_health.error_ratio > 0 && var.pipeline_health.error_ratio < 1
    error_message = "oldest_unacked_seconds must be at least 60, and error_ratio a share between 0 and 1 (0.05 is 5%)."
  }
  validation {
    condition     = var.pipeline_health.error_window_seconds >= 60 && var.pipeline_health.error_window_seconds % 60 == 0
    error_message = "error_window_seconds must be a whole number of minutes, at least 60."
  }
}

variable "project_id" {
  description = "The project that runs liftwatch and receives its metrics."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID (6-30 lower-case letters, digits or hyphens), not a project name or number."
  }
}

variable "push_delivery" {
  description = "Redelivery of failed pushes: exponential backoff between minimum_backoff_seconds and maximum_backoff_seconds, dead-lettering after max_delivery_attempts."
  type = object({
    max_delivery_attempts   = optional(number, 10)
    minimum_backoff_seconds = optional(number, 10)
    maximum_backoff_seconds = optional(number, 600)
  })
  default = {}
  validation {
    condition     = var.push_delivery.max_delivery_attempts >= 5 && var.push_delivery.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be between 5 and 100 (the Pub/Sub limits)."
  }
  validation {
    condition     = var.push_delivery.minimum_backoff_seconds >= 0 && var.push_delivery.minimum_backoff_seconds <= var.push_delivery.maximum_backoff_seconds && var.push_delivery.maximum_backoff_seconds <= 600
    error_message = "Backoffs must satisfy 0 <= minimum_backoff_seconds <= maximum_backoff_seconds <= 600."
  }
}

variable "region" {
  description = "Region of the functions, the source bucket and (unless firestore_location is set) Firestore."
  type        = string
  default     = "europe-west1"
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a region such as europe-west1 or us-central1, not a zone."
  }
}

variable "required_segments" {
  description = "Per monitor, the segments that must keep reporting: each {model, segment} (segment as liftwatch labels it, e.g. market=de) pages when it writes no alert-bearing statistic for its monitor's cadence + publish delay + slack. Segments not listed never page by absence (a model version pages only when none of its segments reports)."
  type = map(list(object({
    model   = string
    segment = string
  })))
  default = {}
  validation {
    condition     = alltrue([for monitor, list in var.required_segments : contains(["calibration", "drift", "features", "lift", "uplift"], monitor)])
    error_message = "required_segments keys must be monitors: calibration, drift, features, lift, uplift."
  }
  validation {
    condition = alltrue(flatten([for list in values(var.required_segments) : [
      for entry in list : can(regex("^[a-z][a-z0-9_-]{0,62}$", entry.model)) && can(regex("^(all|[a-z][a-z0-9_]{0,30}=[A-Za-z0-9._-]{1,63}(,[a-z][a-z0-9_]{0,30}=[A-Za-z0-9._-]{1,63}){0,3})$", entry.segment))
    ]]))
    error_message = "Each required segment needs a model (^[a-z][a-z0-9_-]{0,62}$) and a segment label as liftwatch writes it: all, or key=value pairs joined by commas in key order, e.g. market=de,platform=ios."
  }
}

variable "topic_message_retention_seconds" {
  description = "How long the topics keep published messages, acknowledged or not, so that a window's message can be fetched again for a replay (README.md, 'Fetching a message')."
  type        = number
  default     = 604800
  validation {
    condition     = var.topic_message_retention_seconds >= 600 && var.topic_message_retention_seconds <= 2678400
    error_message = "topic_message_retention_seconds must be between 600 (10 min) and 2678400 (31 days)."
  }
}
