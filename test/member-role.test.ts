/**
 * The member role (lib/member-role.ts) as its own stack, DynamoDbBackupAuditorMemberRole: the
 * permissions (read, back up, Security Hub; nothing that deletes), the trust (only the auditor's
 * roles, from its account or organization), a template that deploys without CDK bootstrap, and
 * cdk-nag with and without an environment.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_MEMBER_ROLE_NAME, MemberRole } from '../lib/member-role';
import {
  MEMBER_PARAMETER_PATTERNS,
  MEMBER_ROLE_STACK_NAME,
  MemberRoleStack,
  memberRoleTemplate,
} from '../lib/member-role-stack';

type Json = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Json;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const matchesWhole = (pattern: string, value: string): boolean => new RegExp(`^(?:${pattern})$`).test(value);

function nagViolations(app: App): string[] {
  return new AwsSolutionsChecks()
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`),
    );
}

describe('DynamoDbBackupAuditorMemberRole stack', () => {
  const app = new App();
  const stack = new MemberRoleStack(app);
  const template = Template.fromStack(stack);
  const json = template.toJSON() as {
    Parameters: Record<string, Json>;
    Resources: Record<string, { Type: string; Properties: Json }>;
    Rules?: Json;
  };
  const [roleId, role] = Object.entries(json.Resources).find(([, r]) => r.Type === 'AWS::IAM::Role') ?? [];
  const policyStatements = Object.values(json.Resources)
    .filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId ?? '?'),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const trust = (role?.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
  const actions = policyStatements.flatMap((s) => list(s.Action));
  const resourcesOf = (action: string) =>
    policyStatements.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));

  it('is named DynamoDbBackupAuditorMemberRole and creates the role only', () => {
    expect(stack.stackName).toBe(MEMBER_ROLE_STACK_NAME);
    expect(
      Object.values(json.Resources)
        .map((r) => r.Type)
        .sort(),
    ).toEqual(['AWS::IAM::Policy', 'AWS::IAM::Role']);
    expect(role?.Properties.RoleName).toEqual({ Ref: 'MemberRoleName' });
    expect(json.Parameters.MemberRoleName?.Default).toBe(DEFAULT_MEMBER_ROLE_NAME);
  });

  it("grants the audit's reads, the remediation's backup and Security Hub, and nothing that deletes", () => {
    expect([...actions].sort()).toEqual(
      [
        'backup:ListBackupVaults',
        'backup:ListRecoveryPointsByBackupVault',
        'backup:ListRecoveryPointsByResource',
        'dynamodb:CreateBackup',
        'dynamodb:DescribeTable',
        'dynamodb:ListBackups',
        'dynamodb:ListTables',
        'securityhub:BatchImportFindings',
        'securityhub:GetFindings',
        'tag:GetResources',
      ].sort(),
    );
    expect(actions.some((a) => /Delete|Restore|Update|Put|\*/.test(a))).toBe(false);
    expect(policyStatements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('writes only backups, of tables of this account, and imports findings with its default product', () => {
    const anyTableOfThisAccount = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:*:', { Ref: 'AWS::AccountId' }, ':table/*'],
      ],
    };

    expect(resourcesOf('dynamodb:CreateBackup')).toEqual([anyTableOfThisAccount]);
    expect(resourcesOf('dynamodb:DescribeTable')).toEqual([anyTableOfThisAccount]);
    expect(resourcesOf('securityhub:BatchImportFindings')).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':securityhub:*:',
            { Ref: 'AWS::AccountId' },
            ':product/',
            { Ref: 'AWS::AccountId' },
            '/default',
          ],
        ],
      },
    ]);
  });

  it("trusts only the auditor's listed roles, from the auditor's account", () => {
    expect(trust).toHaveLength(1);
    expect(trust[0]).toEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: {
        AWS: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AuditorAccountId' }, ':root'],
          ],
        },
      },
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': { 'Fn::Split': [',', { Ref: 'AuditorRoleArns' }] } },
        StringEquals: {
          'Fn::If': [
            'HasAuditorOrganizationId',
            {
              'aws:PrincipalAccount': { Ref: 'AuditorAccountId' },
              'aws:PrincipalOrgID': { Ref: 'AuditorOrganizationId' },
            },
            { 'aws:PrincipalAccount': { Ref: 'AuditorAccountId' } },
          ],
        },
      },
    });
    expect(json.Parameters.AuditorOrganizationId?.Default).toBe('');
    expect(json.Parameters.AuditorAccountId?.Default).toBeUndefined();
    expect(json.Parameters.AuditorRoleArns?.Default).toBeUndefined();
  });

  it("requires aws:PrincipalOrgID with the organization's id when one is given", () => {
    const own = new App();
    const ownStack = new Stack(own, 'Own');
    new MemberRole(ownStack, 'Member', {
      auditorAccountId: '111111111111',
      trustedRoleArns: ['arn:aws:iam::111111111111:role/audit', 'arn:aws:iam::111111111111:role/remediate'],
      organizationId: 'o-a1b2c3d4e5',
    });

    Template.fromStack(ownStack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': [
                  'arn:aws:iam::111111111111:role/audit',
                  'arn:aws:iam::111111111111:role/remediate',
                ],
              },
              StringEquals: { 'aws:PrincipalAccount': '111111111111', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
            },
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] },
            },
          },
        ],
      },
      RoleName: DEFAULT_MEMBER_ROLE_NAME,
    });
  });

  it.each([
    ['auditorRoleArns', 'arn:aws:iam::111111111111:role/DynamoDbBackupAuditor-AuditRole1A2B3C', true],
    ['auditorRoleArns', 'arn:aws:iam::111111111111:role/a,arn:aws-cn:iam::111111111111:role/path/b', true],
    ['auditorRoleArns', 'arn:aws:iam::111111111111:role/a, arn:aws:iam::111111111111:role/b', false],
    ['auditorRoleArns', 'arn:aws:iam::111111111111:user/alice', false],
    ['auditorAccountId', '111111111111', true],
    ['auditorAccountId', '11111111111', false],
    ['auditorOrganizationId', '', true],
    ['auditorOrganizationId', 'o-a1b2c3d4e5', true],
    ['auditorOrganizationId', 'r-a1b2', false],
    ['memberRoleName', 'DynamoDbBackupAuditorMember', true],
    ['memberRoleName', 'bad name', false],
  ] as const)('parameter %s accepts %j: %s', (parameter, value, accepted) => {
    expect(matchesWhole(MEMBER_PARAMETER_PATTERNS[parameter], value)).toBe(accepted);
  });

  it('deploys where CDK was never bootstrapped: no BootstrapVersion parameter or rule', () => {
    expect(json.Parameters.BootstrapVersion).toBeUndefined();
    expect(json.Rules).toBeUndefined();
  });

  it('is the template the StackSet deploys, well within the 51,200-byte TemplateBody limit', () => {
    const body = memberRoleTemplate();

    expect(body).toEqual(json);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(51_200);
  });

  it('has no cdk-nag AwsSolutions violation, without an environment', () => {
    expect(nagViolations(app)).toEqual([]);
  });

  it.each([
    { account: '444455556666', region: 'eu-west-1' },
    { account: '444455556666', region: 'cn-north-1' },
    { account: '444455556666', region: 'us-gov-west-1' },
  ])('has no cdk-nag AwsSolutions violation in $region', (env) => {
    const withEnv = new App();
    new MemberRoleStack(withEnv, MEMBER_ROLE_STACK_NAME, { env });

    expect(nagViolations(withEnv)).toEqual([]);
  });
});
