# Two instances of the pipeline for one environment, side by side in one account and region,
# told apart by name_prefix.

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
  source   = "../../dist/terraform-module"
  for_each = var.instances

  environment = var.environment
  # blue-image-storage-bucket-<environment>-<account id>, blue-ImageMetadata-<environment>, ...
  name_prefix = each.key
  tags        = merge(var.tags, { Instance = each.key, Owner = each.value })

  # Renditions for the instances listed in var.with_derivatives only: the others create no
  # derivatives resources at all (the module counts its derivatives part in or out).
  derivatives = contains(var.with_derivatives, each.key) ? var.renditions : []

  # EventBridge delivery for the instances listed in var.with_eventbridge: their bucket sends its
  # events to EventBridge, where other consumers can add rules of their own.
  event_delivery = contains(var.with_eventbridge, each.key) ? "eventbridge" : "s3-notification"

  # Alarms reach this address (each instance's topic subscribes it): a deployment that keeps its
  # data must alert someone.
  notification_email = var.notification_email

  # On (the default), a destroy keeps the buckets' objects and the table. To decommission: apply
  # with data_protection = false (force_destroy and deletion_protection follow it), then destroy.
  data_protection = var.data_protection
}
