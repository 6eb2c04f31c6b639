/**
 * What an audit reads in an account, granted to the auditor's audit role (its own account) and to
 * the member role (every other audited account), so the two can never drift apart.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** The audit's list calls: none supports resource-level permissions, so the API accepts only "*". */
export const LIST_ACTIONS_WITHOUT_RESOURCE_SCOPE = [
  'dynamodb:ListTables',
  'dynamodb:ListBackups',
  'backup:ListBackupVaults',
  'backup:ListRecoveryPointsByResource',
  'tag:GetResources',
] as const;

/** Every AWS Backup vault of this account, in any region. */
export function anyVaultOf(stack: Stack): string {
  return stack.formatArn({
    service: 'backup',
    region: '*',
    resource: 'backup-vault',
    resourceName: '*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Grants the audit's listing to `role`: the list calls ("*") and the recovery points of every vault. */
export function grantAuditListing(role: iam.Role, stack: Stack): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ListWithoutResourceScope',
      actions: [...LIST_ACTIONS_WITHOUT_RESOURCE_SCOPE],
      resources: ['*'],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ListVaultRecoveryPoints',
      actions: ['backup:ListRecoveryPointsByBackupVault'],
      resources: [anyVaultOf(stack)],
    }),
  );
}
