variable "region" {
  type        = string
  description = "AWS region of the bucket, the key and the pipeline."
  default     = "us-east-1"
}

variable "environment" {
  type        = string
  description = "Environment name, part of every resource name."
  default     = "dev"
}

variable "bucket_name" {
  type        = string
  description = "The existing bucket whose new images are processed (its EventBridge delivery on)."
}

variable "bucket_kms_key_arn" {
  type        = string
  description = "ARN of the KMS key the bucket's objects are encrypted with (SSE-KMS); null for SSE-S3."
  default     = null
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of your KMS key for everything the pipeline encrypts (table, topic, queues, log groups)."
}

variable "notification_email" {
  type        = string
  description = "Email that receives the pipeline's alarms."
}
