# What a consumer relies on, with a mocked AWS provider (no credentials, no network): the
# derivatives part only when asked, tags on the resources, outputs set after apply.

mock_provider "aws" {
  # The mock's random strings are not ARNs; the module builds names and policies from these.
  # The mock's random strings are not policy documents, which the resources check.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1", region = "eu-west-1" }
  }
  # Computed ARNs the resources that use them check for an ARN's shape.
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:111122223333:ImageProcessingNotifications-dev" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111122223333:key/0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/ImageProcessor-dev" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:111122223333:ImageProcessor-DLQ-dev", url = "https://sqs.eu-west-1.amazonaws.com/111122223333/ImageProcessor-DLQ-dev" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:111122223333:function:ImageProcessor-dev" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::image-storage-bucket-dev-111122223333" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/ImageMetadata-dev" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/ImageProcessor-dev" }
  }
}

variables {
  environment        = "dev"
  tags               = { Team = "media" }
  notification_email = "ops@example.com"
}

run "no_derivatives_by_default" {
  command = plan

  assert {
    condition     = length(module.derivatives) == 0
    error_message = "The derivatives child module must be absent without renditions."
  }
}

run "derivatives_when_asked" {
  command = plan

  variables {
    derivatives = [{ name = "thumbnail", width = 256 }]
  }

  assert {
    condition     = length(module.derivatives) == 1
    error_message = "The derivatives child module must be there with renditions."
  }
}

run "tags_reach_the_resources" {
  command = plan

  assert {
    condition     = aws_s3_bucket.images.tags["Team"] == "media" && aws_lambda_function.processor.tags["Team"] == "media"
    error_message = "The tags variable must reach the bucket and the function."
  }

  assert {
    condition     = aws_dynamodb_table.metadata.tags["Team"] == "media"
    error_message = "The tags variable must reach the table."
  }
}

run "outputs_are_set_after_apply" {
  command = apply

  assert {
    condition = alltrue([
      output.s3_bucket_name != null,
      output.s3_bucket_arn != null,
      output.dynamodb_table_name != null,
      output.dynamodb_table_arn != null,
      output.lambda_function_arn != null,
      output.lambda_function_name != null,
      output.lambda_role_arn != null,
      output.sns_topic_arn != null,
      output.dead_letter_queue_url != null,
      output.dead_letter_queue_arn != null,
      output.kms_key_arn != null,
      output.dashboard_url != null,
    ])
    error_message = "Every output of the pipeline must be set."
  }

  assert {
    condition     = output.derivatives_bucket_name == null && output.derivatives_queue_url == null
    error_message = "Without derivatives their outputs must be null."
  }
}
