/**
 * Resource names, kept from the source design so that people moving from the
 * CloudFormation template recognise them. One function per name, so a rename is one edit.
 */
export const resourceNames = (environment: string) => ({
  bucket: (accountId: string) => `image-storage-bucket-${environment}-${accountId}`,
  logBucket: (accountId: string) => `image-storage-logs-${environment}-${accountId}`,
  table: `ImageMetadata-${environment}`,
  timeIndex: "UploadDateIndex",
  topic: `ImageProcessingNotifications-${environment}`,
  function: `ImageProcessor-${environment}`,
  role: `ImageProcessor-${environment}`,
  logGroup: `/aws/lambda/ImageProcessor-${environment}`,
  deadLetterQueue: `ImageProcessor-DLQ-${environment}`,
  keyAlias: `alias/image-processing-${environment}`,
  dashboard: `ImageProcessing-${environment}`,
  alarms: {
    errors: `ImageProcessor-Errors-${environment}`,
    throttles: `ImageProcessor-Throttles-${environment}`,
    duration: `ImageProcessor-Duration-${environment}`,
    deadLetters: `ImageProcessor-DeadLetters-${environment}`,
    tableWriteThrottles: `DynamoDB-WriteThrottle-${environment}`,
    unreadable: `ImageProcessor-Unreadable-${environment}`,
    asyncEventsDropped: `ImageProcessor-AsyncEventsDropped-${environment}`,
    destinationDeliveryFailures: `ImageProcessor-DestinationDeliveryFailures-${environment}`,
  },
});

export type ResourceNames = ReturnType<typeof resourceNames>;
