import { Aws, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { DEFAULT_MEMBER_ROLE_NAME } from './member-role';
import { MEMBER_PARAMETERS, memberRoleTemplate } from './member-role-stack';

export interface MemberRoleStackSetProps {
  /** Organizational units (`ou-…`) or the root (`r-…`) whose accounts get the member role (may be a list token). */
  readonly organizationalUnitIds: string[];
  /** ARNs of the auditor's audit and remediation roles: the only principals the member role trusts. */
  readonly trustedRoleArns: string[];
  /** `MemberRoleName`. @default DEFAULT_MEMBER_ROLE_NAME */
  readonly memberRoleName?: string;
  /**
   * The auditor's organization id (`o-…`), required by the member role's trust with
   * `aws:PrincipalOrgID`. The auditor stack cannot read it from CloudFormation; without it the trust
   * requires `aws:PrincipalAccount` (the auditor's account) with the exact role ARNs.
   * @default - aws:PrincipalAccount only
   */
  readonly organizationId?: string;
  /**
   * Condition under which the StackSet exists (MemberOrganizationalUnitIds is set).
   * @default - always
   */
  readonly condition?: CfnCondition;
  /**
   * `SELF` when the auditor runs in the management account, `DELEGATED_ADMIN` in a delegated
   * administrator of CloudFormation StackSets (may be a token).
   * @default 'SELF'
   */
  readonly callAs?: string;
  /**
   * The region the member stacks are created in: IAM is global, one region is enough.
   * @default - the auditor stack's region
   */
  readonly region?: string;
}

/**
 * Deploys the member role (the DynamoDbBackupAuditorMemberRole template) to every account of the
 * given OUs through a service-managed CloudFormation StackSet, and to accounts that join them later
 * (automatic deployment; an account that leaves loses its stack). Needs trusted access for
 * CloudFormation StackSets enabled in AWS Organizations; service-managed StackSets never deploy to the
 * management account, whose audit uses the auditor's own role anyway.
 *
 * An account where the stack instance fails (typically: a role of that name already exists there)
 * does not fail the others (failure tolerance 100%); the run's digest then lists that account among
 * those that could not be audited, with the AssumeRole error.
 */
export class MemberRoleStackSet extends Construct {
  public readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: Fn.join('-', [Aws.STACK_NAME, 'member-role']),
      description: 'DynamoDB backup auditor member role, in every account of the audited OUs',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs ?? 'SELF',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        failureTolerancePercentage: 100,
        maxConcurrentPercentage: 100,
        regionConcurrencyType: 'PARALLEL',
      },
      parameters: [
        {
          parameterKey: MEMBER_PARAMETERS.memberRoleName,
          parameterValue: props.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME,
        },
        { parameterKey: MEMBER_PARAMETERS.auditorAccountId, parameterValue: stack.account },
        {
          parameterKey: MEMBER_PARAMETERS.auditorRoleArns,
          parameterValue: Fn.join(',', props.trustedRoleArns),
        },
        { parameterKey: MEMBER_PARAMETERS.auditorOrganizationId, parameterValue: props.organizationId ?? '' },
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: props.organizationalUnitIds },
          regions: [props.region ?? stack.region],
        },
      ],
      templateBody: JSON.stringify(memberRoleTemplate()),
    });
    if (props.condition) this.stackSet.cfnOptions.condition = props.condition;
  }
}
