# Identities: one service account per function holding only the roles in local.functions, and one push
# service account that may invoke the functions and nothing else. No binding here or anywhere names
# allUsers or allAuthenticatedUsers.

resource "google_service_account" "function" {
  for_each     = local.deployed_functions
  project      = var.project_id
  account_id   = "liftwatch-${each.value.slug}"
  display_name = "liftwatch ${each.key}"
  description  = "Runs the ${each.key} Cloud Function; its roles are listed in terraform/main.tf (local.functions)."
  depends_on   = [google_project_service.enabled]
}

locals {
  # "function role" => {function, role}, one per grant.
  function_role_grants = merge([
    for name, fn in local.deployed_functions : {
      for role in fn.roles : "${name} ${role}" => { function = name, role = role }
    }
  ]...)
}

resource "google_project_iam_member" "function" {
  for_each = local.function_role_grants
  project  = var.project_id
  role     = each.value.role
  member   = google_service_account.function[each.value.function].member
}

resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "liftwatch-pubsub-push"
  display_name = "liftwatch Pub/Sub push"
  description  = "Identity of the push subscriptions' OIDC tokens; may invoke the liftwatch functions only."
  depends_on   = [google_project_service.enabled]
}

# Gen2 functions are Cloud Run services: invocation is run.invoker on each service, not on the project.
resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  for_each = local.deployed_functions
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.monitor[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.push.member
}

# Lets the Pub/Sub service agent mint OIDC tokens for the push account (required in projects created before
# 2021-04-08, harmless after); scoped to that one account.
resource "google_service_account_iam_member" "push_token_creator" {
  service_account_id = google_service_account.push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
  # The Pub/Sub service agent exists once the Pub/Sub API is enabled.
  depends_on = [google_project_service.enabled]
}
