# What a consumer relies on, with a mocked AWS provider (no credentials, no network): the
# derivatives part only when asked, tags on the resources, outputs set after apply.

mock_provider "aws" {
  # The module reads these three data sources only; it builds names, ARNs and policies from them
  # (the mock's random strings are not ARNs).
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
    condition     = aws_s3_bucket.images[0].tags["Team"] == "media" && aws_lambda_function.processor.tags["Team"] == "media"
    error_message = "The tags variable must reach the bucket and the function."
  }

  assert {
    condition     = aws_dynamodb_table.metadata.tags["Team"] == "media"
    error_message = "The tags variable must reach the table."
  }
}

run "eventbridge_delivery_when_asked" {
  command = plan

  variables {
    event_delivery = "eventbridge"
  }

  assert {
    condition     = length(aws_cloudwatch_event_rule.uploads) == 1 && length(aws_lambda_event_source_mapping.processor_events) == 1
    error_message = "EventBridge delivery must make the rule and the queue's event source mapping."
  }

  assert {
    condition     = aws_s3_bucket_notification.images[0].eventbridge == true && length(aws_s3_bucket_notification.images[0].lambda_function) == 0
    error_message = "EventBridge delivery must turn the bucket's EventBridge delivery on and drop the function's notification."
  }

  assert {
    condition     = length(aws_lambda_permission.allow_image_bucket) == 0
    error_message = "With EventBridge delivery nothing invokes the function through the bucket: no invoke permission for S3."
  }
}

run "s3_notification_by_default" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_event_rule.uploads) == 0 && length(aws_s3_bucket_notification.images[0].lambda_function) == 1
    error_message = "By default the bucket must notify the function, with no EventBridge rule."
  }

  assert {
    condition     = length(aws_lambda_permission.allow_image_bucket) == 1 && aws_lambda_permission.allow_image_bucket[0].principal == "s3.amazonaws.com"
    error_message = "A bucket that notifies the function must have leave to invoke it."
  }
}

run "an_existing_bucket_is_left_alone" {
  command = plan

  variables {
    event_delivery       = "eventbridge"
    create_bucket        = false
    existing_bucket_name = "team-shared-uploads"
  }

  assert {
    condition     = length(aws_s3_bucket.images) == 0 && length(aws_s3_bucket_notification.images) == 0 && length(aws_s3_bucket_policy.images) == 0 && length(aws_s3_bucket.access_logs) == 0
    error_message = "With existing_bucket_name the module must create no bucket, bucket policy, log bucket or notification configuration."
  }

  assert {
    condition     = length(aws_lambda_permission.allow_image_bucket) == 0
    error_message = "With an existing bucket the module writes no notification, so it must grant the bucket no invoke permission."
  }

  assert {
    condition     = output.s3_bucket_name == "team-shared-uploads" && jsondecode(aws_cloudwatch_event_rule.uploads[0].event_pattern).detail.bucket.name == ["team-shared-uploads"]
    error_message = "The rule and the outputs must name the existing bucket."
  }
}

run "dashboard_url_in_every_partition" {
  command = plan

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws-cn" }
  }

  assert {
    condition     = startswith(output.dashboard_url, "https://console.amazonaws.cn/cloudwatch/home?region=")
    error_message = "In the China partition the dashboard URL must point at its console."
  }
}

run "tracing_off_when_asked" {
  command = plan

  variables {
    tracing          = false
    role_policy_arns = ["arn:aws:iam::111122223333:policy/org-baseline"]
  }

  assert {
    condition     = aws_lambda_function.processor.tracing_config[0].mode == "PassThrough" && aws_lambda_function.processor.environment[0].variables["POWERTOOLS_TRACE_ENABLED"] == "false"
    error_message = "With tracing = false the processor must pass tracing through and not load the Tracer."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.processor_extra) == 1
    error_message = "Each of role_policy_arns must be attached to the processor's role."
  }
}

# With a key the caller gives, every role policy is known at plan on create: the ARNs are built from names.
run "no_xray_grant_without_tracing" {
  command = plan

  variables {
    tracing              = false
    create_kms_key       = false
    existing_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
  }

  assert {
    condition     = !contains([for s in jsondecode(aws_iam_role_policy.processor.policy).Statement : s.Sid], "WriteTraces") && contains([for s in jsondecode(aws_iam_role_policy.processor.policy).Statement : s.Sid], "WriteOwnLogs")
    error_message = "With tracing = false the processor's role policy must not grant X-Ray."
  }
}

run "xray_grant_with_tracing" {
  command = plan

  variables {
    create_kms_key       = false
    existing_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
  }

  assert {
    condition     = contains([for s in jsondecode(aws_iam_role_policy.processor.policy).Statement : s.Sid], "WriteTraces")
    error_message = "With tracing on the processor's role policy must grant X-Ray."
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
      output.access_log_bucket_arn != null,
      output.access_log_bucket_name != null,
      output.sns_topic_name == "ImageProcessingNotifications-dev",
      output.dashboard_name == "ImageProcessing-dev",
      output.kms_key_id != null,
    ])
    error_message = "Every output of the pipeline must be set."
  }

  assert {
    condition     = output.derivatives_bucket_name == null && output.derivatives_queue_url == null && output.derivatives_role_arn == null && output.derivatives_queue_arn == null && output.derivatives_dead_letter_queue_arn == null
    error_message = "Without derivatives their outputs must be null."
  }

  assert {
    condition     = output.event_queue_arn == null && output.event_dead_letter_queue_arn == null
    error_message = "Without EventBridge delivery its queues' outputs must be null."
  }

  assert {
    condition     = length(output.alarm_arns) == 9 && alltrue([for name, arn in output.alarm_arns : endswith(name, "-dev") && arn != null])
    error_message = "alarm_arns must map the nine alarms of the default pipeline to their ARNs."
  }
}

run "every_alarm_and_the_derivatives_outputs_when_their_parts_exist" {
  command = apply

  variables {
    derivatives    = [{ name = "thumbnail", width = 256 }]
    event_delivery = "eventbridge"
  }

  assert {
    condition     = length(output.alarm_arns) == 16 && contains(keys(output.alarm_arns), "ImageDerivatives-Errors-dev") && contains(keys(output.alarm_arns), "ImageProcessor-EventQueueAge-dev") && contains(keys(output.alarm_arns), "ImageProcessor-UploadsLost-dev")
    error_message = "alarm_arns must hold the derivatives' three alarms and EventBridge delivery's four (its queue's two, its rule's two) beside the nine."
  }

  assert {
    condition     = output.derivatives_bucket_arn != null && output.derivatives_log_group_name == "/aws/lambda/ImageDerivatives-dev"
    error_message = "With derivatives their bucket's ARN and their log group's name must be set."
  }

  assert {
    condition     = alltrue([for arn in [output.derivatives_role_arn, output.derivatives_queue_arn, output.derivatives_dead_letter_queue_arn, output.event_queue_arn, output.event_dead_letter_queue_arn] : arn != null])
    error_message = "With derivatives and EventBridge delivery the derivatives role's and the queues' ARNs must be set."
  }
}

run "an_existing_key_encrypts_everything" {
  command = plan

  variables {
    create_kms_key       = false
    existing_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
  }

  assert {
    condition     = length(aws_kms_key.pipeline) == 0 && length(aws_kms_alias.pipeline) == 0 && output.kms_key_alias == null
    error_message = "With existing_kms_key_arn the module must make no key and no alias."
  }

  assert {
    condition = alltrue([
      aws_dynamodb_table.metadata.server_side_encryption[0].kms_key_arn == var.existing_kms_key_arn,
      aws_sns_topic.notifications.kms_master_key_id == var.existing_kms_key_arn,
      aws_sqs_queue.dead_letter.kms_master_key_id == var.existing_kms_key_arn,
      aws_cloudwatch_log_group.processor.kms_key_id == var.existing_kms_key_arn,
      output.kms_key_arn == var.existing_kms_key_arn,
    ])
    error_message = "The table, topic, dead-letter queue and log group must be encrypted with the key given."
  }

  assert {
    condition     = [for s in output.kms_key_policy_statements : s.Sid] == ["AllowCloudWatchAlarmsToPublish-dev", "AllowCloudWatchLogsForTheLogGroups-dev"]
    error_message = "kms_key_policy_statements must list what the key's owner adds for the parts there are: the alarms' and the log groups' statements (no uploads rule without EventBridge delivery), each Sid naming the instance."
  }

  assert {
    condition     = !can(output.kms_key_policy_statements[0].Condition) && one(output.kms_key_policy_statements[1].Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]) == "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/ImageProcessor-dev"
    error_message = "Without derivatives or EventBridge delivery the key's owner must admit CloudWatch as AWS documents it for an encrypted topic (no condition) and the processor's log group only."
  }
}

# Another team's bucket under their key: the renditions are the pipeline's, so they take its key, never the owner's.
run "renditions_beside_another_teams_bucket_take_the_given_pipeline_key" {
  command = plan

  variables {
    event_delivery              = "eventbridge"
    create_bucket               = false
    existing_bucket_name        = "team-shared-uploads"
    existing_bucket_kms_key_arn = "arn:aws:kms:eu-west-1:444455556666:key/5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
    use_bucket_kms_key          = true
    create_kms_key              = false
    existing_kms_key_arn        = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
    derivatives                 = [{ name = "thumbnail", width = 256 }]
  }

  assert {
    condition     = module.derivatives[0].bucket_encryption_key_arn == var.existing_kms_key_arn
    error_message = "Beside an existing bucket under its owner's key, the derivatives bucket must be encrypted with the pipeline's key (existing_kms_key_arn), not existing_bucket_kms_key_arn."
  }
}

run "renditions_beside_another_teams_bucket_take_the_module_key" {
  command = apply

  variables {
    event_delivery              = "eventbridge"
    create_bucket               = false
    existing_bucket_name        = "team-shared-uploads"
    existing_bucket_kms_key_arn = "arn:aws:kms:eu-west-1:444455556666:key/5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
    use_bucket_kms_key          = true
    derivatives                 = [{ name = "thumbnail", width = 256 }]
  }

  assert {
    condition     = module.derivatives[0].bucket_encryption_key_arn == aws_kms_key.pipeline[0].arn
    error_message = "Beside an existing bucket under its owner's key, the derivatives bucket must be encrypted with the module's own key, not existing_bucket_kms_key_arn."
  }
}

run "renditions_share_the_key_of_the_module_bucket" {
  command = plan

  variables {
    bucket_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
    use_bucket_kms_key = true
    derivatives        = [{ name = "thumbnail", width = 256 }]
  }

  assert {
    condition     = module.derivatives[0].bucket_encryption_key_arn == var.bucket_kms_key_arn
    error_message = "The derivatives bucket must share the key of the module's own image bucket (bucket_kms_key_arn)."
  }
}

run "the_key_statements_follow_the_parts" {
  command = plan

  variables {
    create_kms_key       = false
    existing_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
    name_prefix          = "media"
    event_delivery       = "eventbridge"
    derivatives          = [{ name = "thumbnail", width = 256 }]
  }

  assert {
    condition     = [for s in output.kms_key_policy_statements : s.Sid] == ["AllowCloudWatchAlarmsToPublish-media-dev", "AllowCloudWatchLogsForTheLogGroups-media-dev", "AllowTheUploadsRuleToSendToEncryptedQueues-media-dev"]
    error_message = "With EventBridge delivery the key's owner must also admit the uploads rule, each Sid naming the instance (prefix included)."
  }

  assert {
    condition     = !can(output.kms_key_policy_statements[0].Condition) && length(output.kms_key_policy_statements[1].Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]) == 2
    error_message = "With derivatives and EventBridge delivery the key's owner must admit the derivatives' log group too (CloudWatch still as AWS documents it, without a condition)."
  }
}

run "alarm_actions_instead_of_the_topic" {
  command = plan

  variables {
    alarm_actions = ["arn:aws:sns:eu-west-1:111122223333:on-call"]
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.errors.alarm_actions == toset(["arn:aws:sns:eu-west-1:111122223333:on-call"]) && aws_cloudwatch_metric_alarm.errors.ok_actions == toset(["arn:aws:sns:eu-west-1:111122223333:on-call"])
    error_message = "alarm_actions must replace the topic as every alarm's ALARM and OK action."
  }
}

run "ok_actions_only_those_that_notify" {
  command = plan

  variables {
    alarm_actions = ["arn:aws:sns:eu-west-1:111122223333:on-call", "arn:aws:ssm-incidents::111122223333:response-plan/images"]
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.errors.alarm_actions == toset(["arn:aws:sns:eu-west-1:111122223333:on-call", "arn:aws:ssm-incidents::111122223333:response-plan/images"]) && aws_cloudwatch_metric_alarm.errors.ok_actions == toset(["arn:aws:sns:eu-west-1:111122223333:on-call"])
    error_message = "An Incident Manager response plan runs on ALARM only: it must not be an OK action."
  }
}

run "several_subscriptions_each_by_its_name" {
  command = plan

  variables {
    subscriptions = {
      oncall  = { protocol = "email", endpoint = "oncall@example.com" }
      notices = { protocol = "sqs", endpoint = "arn:aws:sqs:eu-west-1:111122223333:image-notices" }
    }
  }

  assert {
    condition     = length(aws_sns_topic_subscription.subscribers) == 2 && aws_sns_topic_subscription.subscribers["notices"].protocol == "sqs"
    error_message = "Each subscription must be one aws_sns_topic_subscription keyed by the name the caller gave it."
  }

  assert {
    condition     = aws_sns_topic_subscription.subscribers["oncall"].filter_policy != null && aws_sns_topic_subscription.subscribers["notices"].filter_policy == null
    error_message = "An email subscriber must get the alarms only, a queue every notice."
  }
}

# (Its filter_policy_scope is then left to the provider, unknown at plan: the deploy suite's apply,
# where the provider refuses a scope without a policy, is what shows it unset.)
run "every_notice_to_the_email_leaves_no_filter" {
  command = plan

  variables {
    email_every_notice = true
  }

  assert {
    condition     = aws_sns_topic_subscription.email[0].filter_policy == null
    error_message = "With email_every_notice the email subscription must have no filter policy."
  }
}

run "both_functions_in_the_vpc_when_asked" {
  command = plan

  variables {
    vpc_subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    vpc_security_group_ids = ["sg-0123456789abcdef0"]
    derivatives            = [{ name = "thumbnail", width = 256 }]
  }

  assert {
    condition     = length(aws_lambda_function.processor.vpc_config) == 1 && aws_lambda_function.processor.vpc_config[0].security_group_ids == toset(["sg-0123456789abcdef0"]) && length(aws_iam_role_policy.processor_vpc) == 1
    error_message = "The processor must be placed in the subnets given, with its role's network-interface policy."
  }
}

run "no_vpc_by_default" {
  command = plan

  assert {
    condition     = length(aws_lambda_function.processor.vpc_config) == 0 && length(aws_iam_role_policy.processor_vpc) == 0 && length(aws_sns_topic_subscription.subscribers) == 0
    error_message = "By default the functions are not in a VPC and the topic has no other subscriber."
  }
}

# Protection by the flag, whatever the environment is named: every bucket (the access-log bucket too;
# the derivatives bucket takes the same local, see module-stack.test.ts) keeps its objects and the table keeps its deletion protection...
run "every_bucket_and_the_table_protected_by_default" {
  command = plan

  variables {
    environment      = "production"
    batch_operations = true
  }

  assert {
    condition = alltrue([
      aws_s3_bucket.images[0].force_destroy == false,
      aws_s3_bucket.access_logs[0].force_destroy == false,
      aws_s3_bucket.batch_jobs[0].force_destroy == false,
      aws_dynamodb_table.metadata.deletion_protection_enabled == true,
    ])
    error_message = "With data_protection on (the default), no bucket may be force-destroyed and the table must be deletion-protected."
  }
}

# ... until data_protection = false, which lifts both for a destroy (the decommission: set it, apply, destroy).
run "data_protection_off_lets_a_destroy_take_everything" {
  command = plan

  variables {
    environment      = "production"
    data_protection  = false
    batch_operations = true
  }

  assert {
    condition = alltrue([
      aws_s3_bucket.images[0].force_destroy == true,
      aws_s3_bucket.access_logs[0].force_destroy == true,
      aws_s3_bucket.batch_jobs[0].force_destroy == true,
      aws_dynamodb_table.metadata.deletion_protection_enabled == false,
    ])
    error_message = "With data_protection = false, every bucket must be force-destroyed and the table's deletion protection lifted."
  }
}


# S3 Inventory's reports under SSE-KMS: the Batch Operations role may decrypt them with that key, through S3 only.
run "the_batch_role_decrypts_inventory_manifests_with_the_key_given" {
  command = apply

  variables {
    batch_operations      = true
    inventory_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.batch_operations[0].policy).Statement : [s.Action, s.Resource, s.Condition.StringEquals["kms:ViaService"]] if s.Sid == "DecryptInventoryManifests"] == [["kms:Decrypt", var.inventory_kms_key_arn, "s3.eu-west-1.amazonaws.com"]]
    error_message = "With inventory_kms_key_arn the Batch Operations role must be granted kms:Decrypt on that key, through S3 only."
  }
}

run "no_inventory_key_grant_without_one" {
  command = apply

  variables {
    batch_operations = true
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.batch_operations[0].policy).Statement : s if s.Sid == "DecryptInventoryManifests"]) == 0 && length(jsondecode(aws_iam_role_policy.batch_operations[0].policy).Statement) == 4
    error_message = "Without inventory_kms_key_arn the Batch Operations role must be granted no key."
  }
}
