import { ArnFormat, Aws, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULT_MEMBER_ROLE_NAME } from '../lambda/shared/org/member-credentials';
import { anyTableOf } from './arns';
import { anyVaultOf, grantAuditListing } from './audit-read-access';
import { acknowledgeWildcards } from './nag';

export { DEFAULT_MEMBER_ROLE_NAME };

export interface MemberRoleProps {
  /** The role's name: `MemberRoleName`, the same in every member account. @default DEFAULT_MEMBER_ROLE_NAME */
  readonly roleName?: string;
  /** The account the auditor runs in (the management account or a delegated administrator). */
  readonly auditorAccountId: string;
  /**
   * ARNs of the auditor roles that may assume this role: its audit and remediation functions' roles
   * (may be a list token, such as `Fn.split(',', parameter)`).
   */
  readonly trustedRoleArns: string[];
  /**
   * The organization (`o-…`) the auditor's account must belong to (`aws:PrincipalOrgID`).
   * @default - none: only `aws:PrincipalAccount`
   */
  readonly organizationId?: string;
  /**
   * When `organizationId` comes from a parameter that may be empty: the condition that it is set.
   * @default - `organizationId` is always set
   */
  readonly hasOrganizationId?: CfnCondition;
}

/**
 * The role the auditor assumes in each audited account other than its own (docs/design.md,
 * "Organization"). Permissions: what the audit reads (tables, native backups, AWS Backup vaults and
 * recovery points, tags), what remediation does (CreateBackup, DescribeTable, ListBackups), and
 * Security Hub import and read in the member account; nothing that deletes.
 *
 * Trust: the auditor's account as principal, narrowed to exactly the auditor's audit and
 * remediation roles with `aws:PrincipalArn`, and to the auditor's account (`aws:PrincipalAccount`)
 * or organization (`aws:PrincipalOrgID`). Matching the roles' ARNs in a condition rather than naming
 * them as principals keeps the trust valid when the auditor's roles are re-created and lets the member
 * role be deployed before the auditor: a role ARN given as a principal must exist when the trust is
 * saved, and IAM would turn it into an opaque id if the role were later replaced.
 */
export class MemberRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const account = { 'aws:PrincipalAccount': props.auditorAccountId };
    const organizationCondition =
      props.organizationId === undefined
        ? account
        : props.hasOrganizationId
          ? Fn.conditionIf(
              props.hasOrganizationId.logicalId,
              { ...account, 'aws:PrincipalOrgID': props.organizationId },
              account,
            )
          : { ...account, 'aws:PrincipalOrgID': props.organizationId };

    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName ?? DEFAULT_MEMBER_ROLE_NAME,
      description:
        'Assumed by the DynamoDB backup auditor (DynamoDB-005): reads tables and backups, creates on-demand backups, imports Security Hub findings; deletes nothing',
      assumedBy: new iam.AccountPrincipal(props.auditorAccountId).withConditions({
        ArnEquals: { 'aws:PrincipalArn': props.trustedRoleArns },
        StringEquals: organizationCondition,
      }),
    });

    const anyTable = anyTableOf(stack);
    const anyVault = anyVaultOf(stack);
    // BatchImportFindings with the default product of this account (the finding's account must be the caller's).
    const defaultProduct = stack.formatArn({
      service: 'securityhub',
      region: '*',
      resource: 'product',
      resourceName: `${Aws.ACCOUNT_ID}/default`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    grantAuditListing(this.role, stack);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeAndBackUpTables',
        actions: ['dynamodb:DescribeTable', 'dynamodb:CreateBackup'],
        resources: [anyTable],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ImportFindings',
        actions: ['securityhub:BatchImportFindings'],
        resources: [defaultProduct],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadFindings',
        actions: ['securityhub:GetFindings'],
        resources: ['*'],
      }),
    );

    acknowledgeWildcards(
      this.role,
      {
        resource: '*',
        reason:
          'dynamodb:ListTables, dynamodb:ListBackups, backup:ListBackupVaults, backup:ListRecoveryPointsByResource, ' +
          'tag:GetResources and securityhub:GetFindings are read-only and take no resource scope the auditor could ' +
          "name in advance; the role is assumable only by the auditor's own audit and remediation roles.",
      },
      {
        resource: anyVault,
        reason:
          'Recovery points of every AWS Backup vault of this account are read (read-only); vaults are only known at run time.',
      },
      {
        resource: anyTable,
        reason:
          'Any table of this account may be audited (DescribeTable) or lack a backup (CreateBackup, the only write); ' +
          'tables are only known at run time and no action deletes anything.',
      },
      {
        resource: defaultProduct,
        reason:
          "Findings are imported with this account's default Security Hub product in each audited region, which is " +
          'only known at run time; the ARN is limited to this account.',
      },
    );
  }
}
