import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { DEFAULT_MEMBER_ROLE_NAME } from '../lambda/shared/org/member-credentials';
import { MAX_CONCURRENT_AUDITS_RANGE } from '../lambda/shared/run/plan';
import { MEMBER_PARAMETER_PATTERNS } from './member-role-stack';
import { addParameterGroup } from './parameter-groups';

const OU = '(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})';

/** AllowedPattern values (matched against the whole value; each accepts the empty default). */
export const ORGANIZATION_PARAMETER_PATTERNS = {
  auditAccounts: '(ORGANIZATION|\\d{12}(,\\d{12})*)?',
  memberRoleName: '[\\w+=,.@-]{1,64}',
  memberOrganizationalUnitIds: `(${OU}(,${OU})*)?`,
} as const;

/** The "Organization" parameters of docs/design.md. */
export interface OrganizationParameters {
  readonly auditAccounts: CfnParameter;
  readonly memberRoleName: CfnParameter;
  readonly memberOrganizationalUnitIds: CfnParameter;
  readonly maxConcurrentAudits: CfnParameter;
  readonly memberStackSetCallAs: CfnParameter;
  /** The organization (o-…) the StackSet's member roles also require (`aws:PrincipalOrgID`); may be empty. */
  readonly organizationId: CfnParameter;
  /** MemberOrganizationalUnitIds is set: the member role is deployed by a StackSet. */
  readonly hasMemberOrganizationalUnits: CfnCondition;
}

/**
 * Declares the organization parameters (logical ids = the contract's names) and adds them to the
 * console's interface as the group "Organization". Call it after the other parameter groups.
 */
export function addOrganizationParameters(stack: Stack): OrganizationParameters {
  const auditAccounts = new CfnParameter(stack, 'AuditAccounts', {
    type: 'String',
    default: '',
    allowedPattern: ORGANIZATION_PARAMETER_PATTERNS.auditAccounts,
    description:
      'Accounts to audit: empty for this account only, ORGANIZATION for every ACTIVE account of the AWS ' +
      'Organization (deploy in the management account or a delegated administrator), or 12-digit ids ' +
      'separated by commas. Accounts other than this one are audited through MemberRoleName.',
    constraintDescription: 'must be empty, ORGANIZATION, or 12-digit account ids separated by commas',
  });
  const memberRoleName = new CfnParameter(stack, 'MemberRoleName', {
    type: 'String',
    default: DEFAULT_MEMBER_ROLE_NAME,
    allowedPattern: ORGANIZATION_PARAMETER_PATTERNS.memberRoleName,
    description: 'The IAM role the auditor assumes in each audited account other than its own.',
    constraintDescription: 'must be an IAM role name: 1-64 characters of letters, digits and +=,.@_-',
  });
  const memberOrganizationalUnitIds = new CfnParameter(stack, 'MemberOrganizationalUnitIds', {
    type: 'String',
    default: '',
    allowedPattern: ORGANIZATION_PARAMETER_PATTERNS.memberOrganizationalUnitIds,
    description:
      'Organizational units (ou-...) or the root (r-...), comma-separated: the stack deploys the member role to ' +
      'their accounts, and to accounts that join them later, through a service-managed StackSet. Empty: deploy ' +
      'the member role yourself (stack DynamoDbBackupAuditorMemberRole).',
    constraintDescription: 'must be empty or ou-... / r-... ids separated by commas without spaces',
  });
  const maxConcurrentAudits = new CfnParameter(stack, 'MaxConcurrentAudits', {
    type: 'Number',
    default: 40,
    minValue: MAX_CONCURRENT_AUDITS_RANGE.min,
    maxValue: MAX_CONCURRENT_AUDITS_RANGE.max,
    description:
      'Account x region audits in flight at once during a run (the Distributed Map MaxConcurrency).',
    constraintDescription: `must be a whole number from ${MAX_CONCURRENT_AUDITS_RANGE.min} to ${MAX_CONCURRENT_AUDITS_RANGE.max}`,
  });
  const memberStackSetCallAs = new CfnParameter(stack, 'MemberStackSetCallAs', {
    type: 'String',
    default: 'SELF',
    allowedValues: ['SELF', 'DELEGATED_ADMIN'],
    description:
      'With MemberOrganizationalUnitIds: SELF when this stack is in the management account, DELEGATED_ADMIN when ' +
      'it is in a delegated administrator of CloudFormation StackSets.',
    constraintDescription: 'must be SELF or DELEGATED_ADMIN',
  });

  const organizationId = new CfnParameter(stack, 'OrganizationId', {
    type: 'String',
    default: '',
    allowedPattern: MEMBER_PARAMETER_PATTERNS.auditorOrganizationId,
    description:
      'Your AWS Organization id (o-...): the member roles the StackSet deploys then also require the caller to be ' +
      'in it (aws:PrincipalOrgID). Empty: they trust only the audit and remediation roles of this account.',
    constraintDescription: 'must be empty or an organization id such as o-a1b2c3d4e5',
  });

  addParameterGroup(stack, 'Organization', [
    { parameter: auditAccounts, label: 'Accounts to audit' },
    { parameter: memberRoleName, label: 'Member role name' },
    { parameter: memberOrganizationalUnitIds, label: 'Deploy the member role to these OUs' },
    { parameter: maxConcurrentAudits, label: 'Audits in flight at once' },
    { parameter: memberStackSetCallAs, label: 'Member StackSet created as' },
    { parameter: organizationId, label: 'Organization id (member role trust)' },
  ]);

  const hasMemberOrganizationalUnits = new CfnCondition(stack, 'HasMemberOrganizationalUnits', {
    expression: Fn.conditionNot(Fn.conditionEquals(memberOrganizationalUnitIds.valueAsString, '')),
  });
  return {
    auditAccounts,
    memberRoleName,
    memberOrganizationalUnitIds,
    maxConcurrentAudits,
    memberStackSetCallAs,
    organizationId,
    hasMemberOrganizationalUnits,
  };
}
