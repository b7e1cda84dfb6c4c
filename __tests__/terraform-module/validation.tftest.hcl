# What the module refuses, before anything is planned: `terraform test` with a mocked AWS provider
# (no credentials, no network). Shipped in the released module's tests/; run by the package suite.

mock_provider "aws" {
  # A validation that reads another variable runs during the plan, beside the resources.
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  # ARNs built from the partition and region are checked for their shape (the bucket's invoke
  # permission, the dead-letter destination).
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1", region = "eu-west-1" }
  }
}

variables {
  environment                      = "dev"
  allow_unsubscribed_notifications = true
}

# Reported by the topic's precondition, at the module's own lines: a variable's validation would be
# reported at the caller's argument, which a caller who sets none of these variables does not have.
run "refuses_a_deployment_that_keeps_its_data_with_nobody_to_alert" {
  command = plan

  variables {
    allow_unsubscribed_notifications = false
  }

  expect_failures = [aws_sns_topic.notifications]
}

run "accepts_nobody_to_alert_without_data_protection" {
  command = plan

  variables {
    allow_unsubscribed_notifications = false
    data_protection                  = false
  }
}


run "refuses_a_bad_environment" {
  command = plan

  variables {
    environment = "Dev Env!"
  }

  expect_failures = [var.environment]
}

run "refuses_a_prefix_that_leaves_no_room_in_the_bucket_name" {
  command = plan

  variables {
    name_prefix = "a-very-long-prefix-for-this"
    environment = "an-environment-name"
  }

  expect_failures = [var.name_prefix]
}

run "refuses_a_prefix_s3_reserves_for_bucket_names" {
  command = plan

  variables {
    name_prefix = "sthree-images"
  }

  expect_failures = [var.name_prefix]
}

run "refuses_a_tag_key_reserved_for_aws" {
  command = plan

  variables {
    tags = { "aws:team" = "media" }
  }

  expect_failures = [var.tags]
}

run "refuses_a_tag_value_over_256_characters" {
  command = plan

  variables {
    tags = { Team = "media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-media-" }
  }

  expect_failures = [var.tags]
}

run "accepts_tags_in_any_script_with_every_allowed_symbol" {
  command = plan

  variables {
    tags = { "Équipe média" = "Café", "cost:center/a_b.c=d+e-f@g" = "" }
  }

  assert {
    condition     = aws_dynamodb_table.metadata.tags["Équipe média"] == "Café"
    error_message = "Tags within AWS's limits must be accepted and merged onto the resources."
  }
}

run "refuses_a_reservation_below_the_event_queue_concurrency" {
  command = plan

  variables {
    event_delivery                  = "eventbridge"
    event_queue_maximum_concurrency = 10
    reserved_concurrency            = 5
  }

  expect_failures = [var.reserved_concurrency]
}

run "refuses_force_destroy_in_prod" {
  command = plan

  variables {
    environment   = "prod"
    force_destroy = true
  }

  expect_failures = [var.force_destroy]
}

run "refuses_data_protection_off_in_prod" {
  command = plan

  variables {
    environment     = "prod"
    data_protection = false
  }

  expect_failures = [var.data_protection]
}

# Whatever the environment is named: only data_protection = false lets a destroy take the data.
run "refuses_force_destroy_with_data_protection_on" {
  command = plan

  variables {
    environment   = "production"
    force_destroy = true
  }

  expect_failures = [var.force_destroy]
}

run "refuses_lifting_deletion_protection_with_data_protection_on" {
  command = plan

  variables {
    environment         = "production"
    deletion_protection = false
  }

  expect_failures = [var.deletion_protection]
}

# Typed any, so that a misspelt attribute is refused by name instead of dropped.
run "refuses_an_unknown_rendition_attribute" {
  command = plan

  variables {
    derivatives = [{ name = "thumb", widht = 320 }]
  }

  expect_failures = [var.derivatives]
}

run "refuses_an_unknown_subscription_attribute" {
  command = plan

  variables {
    subscriptions = { oncall = { protocol = "email", endpoint = "oncall@example.com", protocl = "sqs" } }
  }

  expect_failures = [var.subscriptions]
}

run "refuses_an_unknown_rendition_fit" {
  command = plan

  variables {
    derivatives = [{ name = "thumbnail", width = 128, fit = "fill" }]
  }

  expect_failures = [var.derivatives]
}

run "refuses_a_rendition_too_large" {
  command = plan

  variables {
    derivatives = [{ name = "huge", width = 9000 }]
  }

  expect_failures = [var.derivatives]
}

run "refuses_an_unknown_event_delivery" {
  command = plan

  variables {
    event_delivery = "sns"
  }

  expect_failures = [var.event_delivery]
}

run "refuses_an_existing_bucket_without_eventbridge_delivery" {
  command = plan

  variables {
    create_bucket        = false
    existing_bucket_name = "team-shared-uploads"
  }

  expect_failures = [var.create_bucket]
}

run "refuses_force_destroy_of_an_existing_bucket" {
  command = plan

  variables {
    event_delivery       = "eventbridge"
    create_bucket        = false
    existing_bucket_name = "team-shared-uploads"
    # Off, so that force_destroy's own rule (only without data protection) passes and this one is seen.
    data_protection = false
    force_destroy   = true
  }

  expect_failures = [var.create_bucket]
}

run "refuses_an_existing_bucket_key_without_the_bucket" {
  command = plan

  variables {
    existing_bucket_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
  }

  expect_failures = [var.existing_bucket_kms_key_arn]
}

run "refuses_a_role_policy_arn_that_is_not_one" {
  command = plan

  variables {
    role_policy_arns = ["AdministratorAccess"]
  }

  expect_failures = [var.role_policy_arns]
}

run "refuses_a_subscription_of_an_unknown_protocol" {
  command = plan

  variables {
    subscriptions = { pigeon = { protocol = "carrier-pigeon", endpoint = "loft 7" } }
  }

  expect_failures = [var.subscriptions]
}

run "refuses_an_email_subscription_to_a_queue_arn" {
  command = plan

  variables {
    subscriptions = { oncall = { protocol = "email", endpoint = "arn:aws:sqs:eu-west-1:111122223333:q" } }
  }

  expect_failures = [var.subscriptions]
}

run "refuses_six_alarm_actions" {
  command = plan

  variables {
    alarm_actions = [for i in range(6) : "arn:aws:sns:eu-west-1:111122223333:t${i}"]
  }

  expect_failures = [var.alarm_actions]
}

run "refuses_subnets_without_security_groups" {
  command = plan

  variables {
    vpc_subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [var.vpc_subnet_ids]
}

run "refuses_an_existing_key_that_is_not_a_key_arn" {
  command = plan

  variables {
    create_kms_key       = false
    existing_kms_key_arn = "alias/my-key"
  }

  expect_failures = [var.existing_kms_key_arn]
}

# Each switch goes with its value: the plan counts by the switch, so a switch that contradicts its
# value is refused, naming both. A value given with its switch left at the default is refused by a
# precondition of the resource the switch decides, reported at that resource's lines (a validation
# of the switch would be reported "on  line 0": the caller's configuration has no argument for it).
run "refuses_an_existing_bucket_name_without_create_bucket_false" {
  command = plan

  variables {
    event_delivery       = "eventbridge"
    existing_bucket_name = "team-shared-uploads"
  }

  expect_failures = [aws_s3_bucket.images]
}

run "refuses_create_bucket_false_without_a_bucket_name" {
  command = plan

  variables {
    event_delivery = "eventbridge"
    create_bucket  = false
  }

  expect_failures = [var.create_bucket]
}

run "refuses_create_kms_key_false_without_a_key" {
  command = plan

  variables {
    create_kms_key = false
  }

  expect_failures = [var.create_kms_key]
}

run "refuses_an_existing_key_with_create_kms_key_left_true" {
  command = plan

  variables {
    existing_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
  }

  expect_failures = [aws_kms_key.pipeline]
}

run "refuses_a_bucket_key_without_use_bucket_kms_key" {
  command = plan

  variables {
    bucket_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
  }

  expect_failures = [aws_iam_role.processor]
}

run "refuses_an_existing_bucket_key_without_use_bucket_kms_key" {
  command = plan

  variables {
    event_delivery              = "eventbridge"
    create_bucket               = false
    existing_bucket_name        = "team-shared-uploads"
    existing_bucket_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
  }

  expect_failures = [aws_iam_role.processor]
}

run "refuses_security_groups_without_subnets" {
  command = plan

  variables {
    vpc_security_group_ids = ["sg-0123456789abcdef0"]
  }

  expect_failures = [aws_lambda_function.processor]
}

run "refuses_use_bucket_kms_key_without_a_key" {
  command = plan

  variables {
    use_bucket_kms_key = true
  }

  expect_failures = [var.use_bucket_kms_key]
}

run "refuses_a_subscription_name_that_is_not_one" {
  command = plan

  variables {
    subscriptions = { "on call" = { protocol = "email", endpoint = "oncall@example.com" } }
  }

  expect_failures = [var.subscriptions]
}

run "refuses_an_inventory_key_that_is_not_a_key_arn" {
  command = plan

  variables {
    batch_operations      = true
    inventory_kms_key_arn = "alias/inventory"
  }

  expect_failures = [var.inventory_kms_key_arn]
}

run "refuses_an_inventory_key_without_batch_operations" {
  command = plan

  variables {
    inventory_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
  }

  expect_failures = [var.inventory_kms_key_arn]
}
