variable "region" {
  type        = string
  description = "AWS region to deploy to."
  default     = "us-east-1"
}

variable "environment" {
  type        = string
  description = "Environment name, part of every resource name."
  default     = "dev"
}

variable "notification_email" {
  type        = string
  description = "Email that receives the pipeline's alarms. Required: this example keeps its data (force_destroy = false), and the module refuses such a deployment with nobody to alert unless allow_unsubscribed_notifications = true."
}
