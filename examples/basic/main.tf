# A root module that deploys the image-processing pipeline from the Terraform module.

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }
  }

  # Keep state remotely for anything shared, e.g.:
  # backend "s3" {
  #   bucket       = "my-org-terraform-state"
  #   key          = "image-processing/dev/terraform.tfstate"
  #   region       = "us-east-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Environment = var.environment
      Purpose     = "ImageProcessing"
      ManagedBy   = "terraform"
    }
  }
}

module "image_processing" {
  source = "../../dist/terraform-module"

  environment        = var.environment
  notification_email = var.notification_email

  # Production-minded settings; every input is listed in the module's README.
  log_retention_days   = 90
  reserved_concurrency = 50
  deletion_protection  = true
  force_destroy        = false
}
