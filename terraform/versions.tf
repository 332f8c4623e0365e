terraform {
  required_version = ">= 1.5"

  required_providers {
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4, < 3"
    }
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8"
    }
  }
}
