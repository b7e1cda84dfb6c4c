output "bucket_name" {
  description = "Upload images here."
  value       = module.image_processing.s3_bucket_name
}

output "table_name" {
  description = "Image metadata."
  value       = module.image_processing.dynamodb_table_name
}

output "dashboard_url" {
  description = "CloudWatch dashboard."
  value       = module.image_processing.dashboard_url
}

output "dead_letter_queue_url" {
  description = "Events the processor could not handle."
  value       = module.image_processing.dead_letter_queue_url
}
