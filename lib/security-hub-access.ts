import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcards } from './nag';

/**
 * Lets the audit role import its findings into Security Hub and read its own back (for archival),
 * in the audited regions only. Granted whatever SecurityHubFindings says, so toggling the parameter
 * needs no IAM change. BatchImportFindings is authorized on the product the findings are imported
 * for (this account's default product), GetFindings on the hub (docs/aws-facts.md, "IAM").
 */
export function grantSecurityHubFindings(role: iam.IRole, auditedRegionPatterns: string[]): void {
  const stack = Stack.of(role);
  const defaultProduct = stack.formatArn({
    service: 'securityhub',
    region: '*',
    resource: 'product',
    resourceName: `${stack.account}/default`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  const hub = stack.formatArn({
    service: 'securityhub',
    region: '*',
    resource: 'hub',
    resourceName: 'default',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  const inAuditedRegions = { StringLike: { 'aws:RequestedRegion': auditedRegionPatterns } };
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ImportFindingsIntoSecurityHub',
      actions: ['securityhub:BatchImportFindings'],
      resources: [defaultProduct],
      conditions: inAuditedRegions,
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadFindingsFromSecurityHub',
      actions: ['securityhub:GetFindings'],
      resources: [hub],
      conditions: inAuditedRegions,
    }),
  );
  acknowledgeWildcards(
    role,
    {
      resource: defaultProduct,
      reason:
        "This account's default Security Hub product in every audited region (the regions are a parameter, " +
        'enforced by the aws:RequestedRegion condition): findings can only be imported for this account.',
    },
    {
      resource: hub,
      reason:
        "This account's Security Hub hub in every audited region (the regions are a parameter, enforced by the " +
        "aws:RequestedRegion condition); GetFindings is read-only and filtered on this tool's findings.",
    },
  );
}
