output "kms_key_policy_statements" {
  description = "For the key's owner: what the key's policy must admit, before the first apply."
  value       = module.image_processing.kms_key_policy_statements
}

output "lambda_role_arn" {
  description = "For the bucket's owner, if the bucket's policy denies by default: the role to admit for reads."
  value       = module.image_processing.lambda_role_arn
}

output "lambda_function_name" {
  description = "The processor, which a replay of S3-notification dead letters invokes."
  value       = module.image_processing.lambda_function_name
}

output "event_queue_url" {
  description = "The queue EventBridge delivers the bucket's events to."
  value       = module.image_processing.event_queue_url
}

output "event_dead_letter_queue_url" {
  description = "Events the processor could not handle; replay them into event_queue_url."
  value       = module.image_processing.event_dead_letter_queue_url
}

output "table_name" {
  description = "Image metadata."
  value       = module.image_processing.dynamodb_table_name
}
