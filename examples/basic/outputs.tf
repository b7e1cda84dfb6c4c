output "bucket_name" {
  description = "Upload images here."
  value       = module.image_processing.S3BucketName
}

output "table_name" {
  description = "Image metadata."
  value       = module.image_processing.DynamoDBTableName
}

output "dashboard_url" {
  description = "CloudWatch dashboard."
  value       = module.image_processing.DashboardURL
}

output "dead_letter_queue_url" {
  description = "Events the processor could not handle."
  value       = module.image_processing.DeadLetterQueueUrl
}
