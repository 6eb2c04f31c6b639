import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcards } from './nag';

/**
 * Lets `role` assume the member role (`MemberRoleName`) in the audited accounts. The accounts are
 * only known at run time (AuditAccounts, or every account of the organization), so the account is a
 * wildcard; the role name is not, and the member role's own trust admits only the auditor's audit and
 * remediation roles.
 */
export function grantAssumeMemberRoles(role: iam.Role, memberRoleName: string): void {
  const memberRoles = Stack.of(role).formatArn({
    service: 'iam',
    region: '',
    account: '*',
    resource: 'role',
    resourceName: memberRoleName,
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberRoles',
      actions: ['sts:AssumeRole'],
      resources: [memberRoles],
    }),
  );
  acknowledgeWildcards(role, {
    resource: memberRoles,
    reason:
      'The member role (MemberRoleName) of every audited account: the accounts are only known at run time ' +
      '(AuditAccounts, or the organization); the role name is fixed, and the member role trusts only this ' +
      "auditor's audit and remediation roles.",
  });
}
