# What the module refuses, before anything is planned: `terraform test` with a mocked AWS provider
# (no credentials, no network). Shipped in the released module's tests/; run by the package suite.

mock_provider "aws" {
  # The mock's random strings are not policy documents, which the resources check.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  # A validation that reads another variable runs during the plan, beside the resources.
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
}

variables {
  environment                      = "dev"
  allow_unsubscribed_notifications = true
}

run "refuses_a_deployment_that_keeps_its_data_with_nobody_to_alert" {
  command = plan

  variables {
    allow_unsubscribed_notifications = false
  }

  expect_failures = [var.allow_unsubscribed_notifications]
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

run "refuses_force_destroy_in_prod" {
  command = plan

  variables {
    environment   = "prod"
    force_destroy = true
  }

  expect_failures = [var.force_destroy]
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
