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
  description = "Email for processing problems and alarms; null for none."
  default     = null
}
