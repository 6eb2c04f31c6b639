/** ARN patterns the stack's policies grant on, built with the stack's own account and partition. */
import { ArnFormat, Stack } from 'aws-cdk-lib';

/** Every DynamoDB table of this account, in any region. */
export function anyTableOf(stack: Stack): string {
  return stack.formatArn({
    service: 'dynamodb',
    region: '*',
    resource: 'table',
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
