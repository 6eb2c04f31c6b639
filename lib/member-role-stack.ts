import {
  App,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  CliCredentialsStackSynthesizer,
  Fn,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_MEMBER_ROLE_NAME, MemberRole } from './member-role';

export const MEMBER_ROLE_STACK_NAME = 'DynamoDbBackupAuditorMemberRole';

const ROLE_ARN = 'arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}';

/** AllowedPattern values of the member template (CloudFormation matches the whole value). */
export const MEMBER_PARAMETER_PATTERNS = {
  memberRoleName: '[\\w+=,.@-]{1,64}',
  auditorAccountId: '\\d{12}',
  auditorRoleArns: `${ROLE_ARN}(,${ROLE_ARN})*`,
  auditorOrganizationId: '(o-[a-z0-9]{10,32})?',
} as const;

/** The member template's parameters, as the StackSet passes them (`ParameterKey`s). */
export const MEMBER_PARAMETERS = {
  memberRoleName: 'MemberRoleName',
  auditorAccountId: 'AuditorAccountId',
  auditorRoleArns: 'AuditorRoleArns',
  auditorOrganizationId: 'AuditorOrganizationId',
} as const;

/**
 * The member role alone, for teams that deploy it their own way (`npx cdk deploy
 * DynamoDbBackupAuditorMemberRole --parameters AuditorAccountId=… --parameters AuditorRoleArns=…` in
 * each member account, their own StackSet, or the synthesized template through any pipeline). The
 * auditor stack deploys the same template through a service-managed StackSet when
 * MemberOrganizationalUnitIds is set (lib/member-role-stackset.ts).
 *
 * How the member role knows the auditor: parameters. `AuditorAccountId` is the auditor's account and
 * `AuditorRoleArns` the ARNs of its audit and remediation roles (the auditor stack's outputs); the
 * trust requires exactly those roles (`aws:PrincipalArn`), from that account, and, when
 * `AuditorOrganizationId` is set, from that organization (`aws:PrincipalOrgID`). The member role may
 * be deployed before or after the auditor.
 *
 * Synthesized without CDK bootstrap resources (no BootstrapVersion parameter or rule), so the template
 * deploys in accounts that were never bootstrapped, which is what a StackSet does.
 */
export class MemberRoleStack extends Stack {
  public readonly memberRole: MemberRole;

  constructor(scope: Construct, id: string = MEMBER_ROLE_STACK_NAME, props: StackProps = {}) {
    super(scope, id, {
      description:
        'DynamoDB backup auditor member role: lets the auditor read DynamoDB tables and backups and create on-demand backups in this account',
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...props,
    });

    const roleName = new CfnParameter(this, MEMBER_PARAMETERS.memberRoleName, {
      type: 'String',
      default: DEFAULT_MEMBER_ROLE_NAME,
      allowedPattern: MEMBER_PARAMETER_PATTERNS.memberRoleName,
      description: "The role's name; the auditor's MemberRoleName must be the same.",
      constraintDescription: 'must be an IAM role name: 1–64 characters of letters, digits and +=,.@_-',
    });
    const auditorAccountId = new CfnParameter(this, MEMBER_PARAMETERS.auditorAccountId, {
      type: 'String',
      allowedPattern: MEMBER_PARAMETER_PATTERNS.auditorAccountId,
      description:
        'The account the DynamoDB backup auditor runs in (the management account or a delegated administrator).',
      constraintDescription: 'must be a 12-digit account id',
    });
    const auditorRoleArns = new CfnParameter(this, MEMBER_PARAMETERS.auditorRoleArns, {
      type: 'String',
      allowedPattern: MEMBER_PARAMETER_PATTERNS.auditorRoleArns,
      description:
        "ARNs of the auditor's audit and remediation roles, comma-separated (the auditor stack's outputs); only they may assume this role.",
      constraintDescription: 'must be IAM role ARNs separated by commas without spaces',
    });
    const auditorOrganizationId = new CfnParameter(this, MEMBER_PARAMETERS.auditorOrganizationId, {
      type: 'String',
      default: '',
      allowedPattern: MEMBER_PARAMETER_PATTERNS.auditorOrganizationId,
      description:
        "The AWS Organization (o-…) of the auditor's account: set, the trust also requires aws:PrincipalOrgID. Empty: aws:PrincipalAccount only.",
      constraintDescription: 'must be empty or an organization id such as o-a1b2c3d4e5',
    });
    const hasOrganizationId = new CfnCondition(this, 'HasAuditorOrganizationId', {
      expression: Fn.conditionNot(Fn.conditionEquals(auditorOrganizationId.valueAsString, '')),
    });

    this.templateOptions.metadata = {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          {
            Label: { default: 'Auditor' },
            Parameters: [
              auditorAccountId.logicalId,
              auditorRoleArns.logicalId,
              auditorOrganizationId.logicalId,
            ],
          },
          { Label: { default: 'Member role' }, Parameters: [roleName.logicalId] },
        ],
      },
    };

    this.memberRole = new MemberRole(this, 'Member', {
      roleName: roleName.valueAsString,
      auditorAccountId: auditorAccountId.valueAsString,
      trustedRoleArns: Fn.split(',', auditorRoleArns.valueAsString),
      organizationId: auditorOrganizationId.valueAsString,
      hasOrganizationId,
    });

    new CfnOutput(this, 'MemberRoleArn', {
      description: 'The role the DynamoDB backup auditor assumes in this account',
      value: this.memberRole.role.roleArn,
    });
  }
}

/**
 * The member role stack's CloudFormation template, synthesized on its own (for a StackSet's
 * TemplateBody): no assets, no bootstrap resources, environment-agnostic.
 */
export function memberRoleTemplate(): Record<string, unknown> {
  if (!synthesized) {
    const app = new App();
    new MemberRoleStack(app, MEMBER_ROLE_STACK_NAME);
    synthesized = JSON.stringify(app.synth().getStackByName(MEMBER_ROLE_STACK_NAME).template);
  }
  return JSON.parse(synthesized) as Record<string, unknown>;
}

/** The template, synthesized once per process. */
let synthesized: string | undefined;
