output "bucket_names" {
  description = "Upload images here: one bucket per instance."
  value       = { for name, instance in module.image_processing : name => instance.s3_bucket_name }
}

output "table_names" {
  description = "Image metadata, per instance."
  value       = { for name, instance in module.image_processing : name => instance.dynamodb_table_name }
}

output "dashboard_urls" {
  description = "CloudWatch dashboards, per instance."
  value       = { for name, instance in module.image_processing : name => instance.dashboard_url }
}

output "derivatives_bucket_names" {
  description = "Renditions (<name>/<original key>.<ext>), per instance; null for an instance without derivatives."
  value       = { for name, instance in module.image_processing : name => instance.derivatives_bucket_name }
}
