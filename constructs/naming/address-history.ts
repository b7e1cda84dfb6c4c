/**
 * The resource addresses each release synthesized, as literal data: never computed from today's
 * code, so adding a resource cannot make up an address no state ever held. A `moved` block is written
 * only from one of these (ReadableAddressesStack.movedBlocks).
 */
export const RELEASED_ADDRESSES: Readonly<Record<string, readonly string[]>> = {
  // 0.2.0 (commit 79dbdde), cdktf's hashed names: every resource of its three environment stacks
  // (each also with access logging, an email subscriber, a bucket key and derivatives), of its module
  // and of its derivatives child module (whose addresses are from that module's root).
  "0.2.0": [
    "aws_cloudwatch_dashboard.Pipeline_Monitoring_Dashboard_6696C525",
    "aws_cloudwatch_log_group.Derivatives_LogGroup_BE187D36",
    "aws_cloudwatch_log_group.Pipeline_Derivatives_LogGroup_8CB5576D",
    "aws_cloudwatch_log_group.Pipeline_Processor_LogGroup_1B08DCEB",
    "aws_cloudwatch_metric_alarm.Derivatives_DeadLettersAlarm_9FA32FA4",
    "aws_cloudwatch_metric_alarm.Derivatives_ErrorsAlarm_9FD4153B",
    "aws_cloudwatch_metric_alarm.Derivatives_QueueAgeAlarm_43088588",
    "aws_cloudwatch_metric_alarm.Pipeline_Derivatives_DeadLettersAlarm_36581DD9",
    "aws_cloudwatch_metric_alarm.Pipeline_Derivatives_ErrorsAlarm_F483BB42",
    "aws_cloudwatch_metric_alarm.Pipeline_Derivatives_QueueAgeAlarm_B00DB0F5",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_AsyncEventsDroppedAlarm_29C04D6A",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_DeadLettersAlarm_D6A9AC92",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_DestinationDeliveryFailuresAlarm_AC588B4C",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_DurationAlarm_B3EEA731",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_ErrorsAlarm_31DD17A3",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_TableWriteThrottlesAlarm_3C62E162",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_ThrottlesAlarm_21E52F45",
    "aws_cloudwatch_metric_alarm.Pipeline_Monitoring_UnreadableAlarm_0D7AAC20",
    "aws_dynamodb_table.Pipeline_Table_BF40C386",
    "aws_iam_role.Derivatives_Role_B3666AC1",
    "aws_iam_role.Pipeline_Derivatives_Role_8490FDAD",
    "aws_iam_role.Pipeline_Processor_Role_96D01128",
    "aws_iam_role_policy.Derivatives_BucketKeyPolicy_82E7EDF9",
    "aws_iam_role_policy.Derivatives_Policy_E8C4ACBF",
    "aws_iam_role_policy.Derivatives_RequestsPolicy_85872832",
    "aws_iam_role_policy.Pipeline_Derivatives_Policy_1AEC1667",
    "aws_iam_role_policy.Pipeline_Derivatives_RequestsPolicy_BEC832B6",
    "aws_iam_role_policy.Pipeline_Processor_DecryptImagesPolicy_7C3C0F6C",
    "aws_iam_role_policy.Pipeline_Processor_Policy_E68B3E52",
    "aws_kms_alias.Pipeline_Key_Alias_2B79A221",
    "aws_kms_key.Pipeline_Key_FA885371",
    "aws_lambda_event_source_mapping.Derivatives_QueueEvents_2DA771CB",
    "aws_lambda_event_source_mapping.Pipeline_Derivatives_QueueEvents_CCA191F3",
    "aws_lambda_function.Derivatives_Function_5D5FAFB3",
    "aws_lambda_function.Pipeline_Derivatives_Function_513FDB72",
    "aws_lambda_function.Pipeline_Processor_Function_E54E1CEC",
    "aws_lambda_function_event_invoke_config.Pipeline_Processor_AsyncInvokeConfig_77BEA71B",
    "aws_lambda_permission.Pipeline_Processor_AllowImageBucket_413551CC",
    "aws_s3_bucket.Derivatives_Store_Bucket_5638AF9F",
    "aws_s3_bucket.Pipeline_Derivatives_Store_Bucket_B516725B",
    "aws_s3_bucket.Pipeline_Store_AccessLogs_Bucket_7D73B7C9",
    "aws_s3_bucket.Pipeline_Store_Bucket_9F665EBB",
    "aws_s3_bucket_lifecycle_configuration.Derivatives_Store_Lifecycle_1BF73807",
    "aws_s3_bucket_lifecycle_configuration.Pipeline_Derivatives_Store_Lifecycle_4B7059AC",
    "aws_s3_bucket_lifecycle_configuration.Pipeline_Store_AccessLogs_Lifecycle_A2E41311",
    "aws_s3_bucket_lifecycle_configuration.Pipeline_Store_Lifecycle_326B0146",
    "aws_s3_bucket_logging.Pipeline_Store_AccessLogs_Logging_565C327A",
    "aws_s3_bucket_notification.Pipeline_ObjectCreatedNotification_A69EE6A9",
    "aws_s3_bucket_ownership_controls.Derivatives_Store_OwnershipControls_79E3C15B",
    "aws_s3_bucket_ownership_controls.Pipeline_Derivatives_Store_OwnershipControls_42305202",
    "aws_s3_bucket_ownership_controls.Pipeline_Store_AccessLogs_OwnershipControls_07A268DD",
    "aws_s3_bucket_ownership_controls.Pipeline_Store_OwnershipControls_6C2AC50B",
    "aws_s3_bucket_policy.Derivatives_Store_Policy_77200A33",
    "aws_s3_bucket_policy.Pipeline_Derivatives_Store_Policy_B727D27B",
    "aws_s3_bucket_policy.Pipeline_Store_AccessLogs_Policy_2D7D161C",
    "aws_s3_bucket_policy.Pipeline_Store_Policy_0B4619EC",
    "aws_s3_bucket_public_access_block.Derivatives_Store_PublicAccessBlock_B01FA8D7",
    "aws_s3_bucket_public_access_block.Pipeline_Derivatives_Store_PublicAccessBlock_CE652FCB",
    "aws_s3_bucket_public_access_block.Pipeline_Store_AccessLogs_PublicAccessBlock_DA8D8B1D",
    "aws_s3_bucket_public_access_block.Pipeline_Store_PublicAccessBlock_7CF45DB2",
    "aws_s3_bucket_server_side_encryption_configuration.Derivatives_Store_Encryption_456FD6B1",
    "aws_s3_bucket_server_side_encryption_configuration.Pipeline_Derivatives_Store_Encryption_76992310",
    "aws_s3_bucket_server_side_encryption_configuration.Pipeline_Store_AccessLogs_Encryption_A0F0DAF1",
    "aws_s3_bucket_server_side_encryption_configuration.Pipeline_Store_Encryption_0B8DBF2C",
    "aws_s3_bucket_versioning.Derivatives_Store_Versioning_E62A5677",
    "aws_s3_bucket_versioning.Pipeline_Derivatives_Store_Versioning_B370DA10",
    "aws_s3_bucket_versioning.Pipeline_Store_AccessLogs_Versioning_16427867",
    "aws_s3_bucket_versioning.Pipeline_Store_Versioning_A8FEB21A",
    "aws_sns_topic.Pipeline_Notifications_Topic_7E1EF282",
    "aws_sns_topic_policy.Pipeline_Notifications_Policy_3E0B44EA",
    "aws_sns_topic_subscription.Pipeline_Notifications_EmailSubscription_3917497E",
    "aws_sqs_queue.Derivatives_DeadLetterQueue_5B94381D",
    "aws_sqs_queue.Derivatives_Queue_57250873",
    "aws_sqs_queue.Pipeline_DeadLetterQueue_74A740F4",
    "aws_sqs_queue.Pipeline_Derivatives_DeadLetterQueue_290A30E5",
    "aws_sqs_queue.Pipeline_Derivatives_Queue_74AFAD39",
    "aws_sqs_queue_policy.Derivatives_DeadLetterQueue_Policy_1608DE10",
    "aws_sqs_queue_policy.Derivatives_QueuePolicy_501AD1FA",
    "aws_sqs_queue_policy.Pipeline_DeadLetterQueue_Policy_C95DFEC4",
    "aws_sqs_queue_policy.Pipeline_Derivatives_DeadLetterQueue_Policy_11F0B410",
    "aws_sqs_queue_policy.Pipeline_Derivatives_QueuePolicy_C0C5740E",
    "aws_sqs_queue_redrive_policy.Derivatives_QueueRedrivePolicy_1106E29B",
    "aws_sqs_queue_redrive_policy.Pipeline_Derivatives_QueueRedrivePolicy_9C7C819B",
  ],
  // 0.3.0 (commit f4c4976, which set that version with `npm run release`): readable names, the module's
  // and its derivatives child module's (the stacks had the same ones, none counted). Its bucket and key
  // resources were not counted then and are now (`create_bucket`, `create_kms_key`): a moved block takes
  // each to instance 0, chained after the move from 0.2.0's hashed name (Terraform allows one move into
  // an address, so 0.2.0's goes to the readable name first).
  "0.3.0": [
    "aws_cloudwatch_dashboard.pipeline",
    "aws_cloudwatch_log_group.derivatives",
    "aws_cloudwatch_log_group.processor",
    "aws_cloudwatch_metric_alarm.async_events_dropped",
    "aws_cloudwatch_metric_alarm.dead_letters",
    "aws_cloudwatch_metric_alarm.derivatives_dead_letters",
    "aws_cloudwatch_metric_alarm.derivatives_errors",
    "aws_cloudwatch_metric_alarm.derivatives_queue_age",
    "aws_cloudwatch_metric_alarm.destination_delivery_failures",
    "aws_cloudwatch_metric_alarm.duration",
    "aws_cloudwatch_metric_alarm.errors",
    "aws_cloudwatch_metric_alarm.table_write_throttles",
    "aws_cloudwatch_metric_alarm.throttles",
    "aws_cloudwatch_metric_alarm.unreadable",
    "aws_dynamodb_table.metadata",
    "aws_iam_role.derivatives",
    "aws_iam_role.processor",
    "aws_iam_role_policy.derivatives",
    "aws_iam_role_policy.derivatives_bucket_key",
    "aws_iam_role_policy.processor",
    "aws_iam_role_policy.processor_decrypt_images",
    "aws_iam_role_policy.processor_derivatives_requests",
    "aws_kms_alias.pipeline",
    "aws_kms_key.pipeline",
    "aws_lambda_event_source_mapping.derivatives",
    "aws_lambda_function.derivatives",
    "aws_lambda_function.processor",
    "aws_lambda_function_event_invoke_config.processor",
    "aws_lambda_permission.allow_image_bucket",
    "aws_s3_bucket.access_logs",
    "aws_s3_bucket.derivatives",
    "aws_s3_bucket.images",
    "aws_s3_bucket_lifecycle_configuration.access_logs",
    "aws_s3_bucket_lifecycle_configuration.derivatives",
    "aws_s3_bucket_lifecycle_configuration.images",
    "aws_s3_bucket_logging.images",
    "aws_s3_bucket_notification.images",
    "aws_s3_bucket_ownership_controls.access_logs",
    "aws_s3_bucket_ownership_controls.derivatives",
    "aws_s3_bucket_ownership_controls.images",
    "aws_s3_bucket_policy.access_logs",
    "aws_s3_bucket_policy.derivatives",
    "aws_s3_bucket_policy.images",
    "aws_s3_bucket_public_access_block.access_logs",
    "aws_s3_bucket_public_access_block.derivatives",
    "aws_s3_bucket_public_access_block.images",
    "aws_s3_bucket_server_side_encryption_configuration.access_logs",
    "aws_s3_bucket_server_side_encryption_configuration.derivatives",
    "aws_s3_bucket_server_side_encryption_configuration.images",
    "aws_s3_bucket_versioning.access_logs",
    "aws_s3_bucket_versioning.derivatives",
    "aws_s3_bucket_versioning.images",
    "aws_sns_topic.notifications",
    "aws_sns_topic_policy.notifications",
    "aws_sns_topic_subscription.email",
    "aws_sqs_queue.dead_letter",
    "aws_sqs_queue.derivatives",
    "aws_sqs_queue.derivatives_dead_letter",
    "aws_sqs_queue_policy.dead_letter",
    "aws_sqs_queue_policy.derivatives",
    "aws_sqs_queue_policy.derivatives_dead_letter",
    "aws_sqs_queue_redrive_policy.derivatives",
  ],
};

/**
 * Those of the addresses above that a release's module (or its derivatives child module) counted
 * (`count`), so its state holds them at instance 0: a move from one goes to the whole resource, whose
 * instances keep their keys. (The stacks counted nothing.)
 */
export const RELEASED_COUNTED: Readonly<Record<string, readonly string[]>> = {
  "0.2.0": [
    "aws_iam_role_policy.Derivatives_BucketKeyPolicy_82E7EDF9",
    "aws_iam_role_policy.Pipeline_Processor_DecryptImagesPolicy_7C3C0F6C",
    "aws_sns_topic_subscription.Pipeline_Notifications_EmailSubscription_3917497E",
  ],
  "0.3.0": [
    "aws_iam_role_policy.derivatives_bucket_key",
    "aws_iam_role_policy.processor_decrypt_images",
    "aws_sns_topic_subscription.email",
  ],
};

const RELEASED: ReadonlySet<string> = new Set(Object.values(RELEASED_ADDRESSES).flat());
const COUNTED: ReadonlySet<string> = new Set(Object.values(RELEASED_COUNTED).flat());

/** Whether some release's state can hold a resource at `address` (as written from its module's root). */
export const wasReleased = (address: string): boolean => RELEASED.has(address);

/** Whether a release's state holds the resource at `address` as one object without a key (neither counted nor keyed). */
export const wasReleasedUncounted = (address: string): boolean => RELEASED.has(address) && !COUNTED.has(address);

/**
 * Where a move from the released `from` goes for a resource now at `to`: the whole resource, or its
 * instance 0 when it is counted now and was not then (its one object had no key).
 */
export const moveTarget = (from: string, to: string, countedNow: boolean): string => (countedNow && !COUNTED.has(from) ? `${to}[0]` : to);
