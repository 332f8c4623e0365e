# Firestore (Native mode) holds the registered baselines (collections liftwatchBaselines and
# liftwatchFeatureBaselines). The functions use the project's (default) database; a project that already has
# one sets create_firestore_database = false.

resource "google_firestore_database" "baselines" {
  count                   = var.create_firestore_database ? 1 : 0
  project                 = var.project_id
  name                    = "(default)"
  location_id             = coalesce(var.firestore_location, var.region)
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  deletion_policy         = "ABANDON"
  depends_on              = [google_project_service.enabled]
}
