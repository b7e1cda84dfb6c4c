# The pipeline on a bucket it does not own, encrypting everything it makes with a KMS key it does not
# own either: what a platform team with a shared upload bucket and a team key writes.

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

module "image_processing" {
  source = "../../dist/terraform-module"

  environment = var.environment

  # The bucket's owner turns its EventBridge delivery on: the module never writes the notification
  # configuration of a bucket it does not own, so its events come through EventBridge.
  create_bucket        = false
  existing_bucket_name = var.bucket_name
  event_delivery       = "eventbridge"
  # With SSE-KMS, the bucket's key: the functions may decrypt through S3 with it, and only it.
  use_bucket_kms_key          = var.bucket_kms_key_arn != null
  existing_bucket_kms_key_arn = var.bucket_kms_key_arn

  # Your key for the table, topic, queues and log groups; its policy must admit the statements of
  # the output kms_key_policy_statements before the first apply (see README.md).
  create_kms_key       = false
  existing_kms_key_arn = var.kms_key_arn

  notification_email = var.notification_email
}
