/**
 * The StackSet that deploys the member role to the audited OUs (lib/member-role-stackset.ts), on a
 * small test stack with stand-in auditor roles and an OU parameter: service-managed with automatic
 * deployment, only when the OUs are set, the member template as its body, the auditor's roles passed.
 */
import { App, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { memberRoleTemplate } from '../lib/member-role-stack';
import { MemberRoleStackSet } from '../lib/member-role-stackset';

type Json = Record<string, unknown>;

function build(env?: { account: string; region: string }) {
  const app = new App();
  const stack = new Stack(app, 'StackSetTest', env ? { env } : {});
  const ous = new CfnParameter(stack, 'MemberOrganizationalUnitIds', { type: 'String', default: '' });
  const hasOus = new CfnCondition(stack, 'HasMemberOrganizationalUnits', {
    expression: Fn.conditionNot(Fn.conditionEquals(ous.valueAsString, '')),
  });
  const role = (id: string) =>
    new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const audit = role('AuditRole');
  const remediation = role('RemediationRole');
  new MemberRoleStackSet(stack, 'MemberRoles', {
    organizationalUnitIds: Fn.split(',', ous.valueAsString),
    trustedRoleArns: [audit.roleArn, remediation.roleArn],
    memberRoleName: 'DynamoDbBackupAuditorMember',
    condition: hasOus,
  });
  const template = Template.fromStack(stack);
  const [id, resource] =
    Object.entries(template.findResources('AWS::CloudFormation::StackSet')).find(() => true) ?? [];
  return {
    app,
    template,
    id,
    stackSet: resource as { Properties: Json; Condition?: string },
    roleIds: [audit, remediation].map((r) => stack.getLogicalId(r.node.defaultChild as iam.CfnRole)),
  };
}

describe('MemberRoleStackSet', () => {
  const { app, stackSet, roleIds } = build();
  const props = stackSet.Properties;

  it('is service-managed, deploys automatically to accounts joining the OUs, and exists only when OUs are set', () => {
    expect(props).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'SELF',
      StackSetName: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'member-role']] },
    });
    expect(stackSet.Condition).toBe('HasMemberOrganizationalUnits');
  });

  it("targets the OUs of the parameter, once, in the auditor's region (IAM is global)", () => {
    expect(props.StackInstancesGroup).toEqual([
      {
        DeploymentTargets: {
          OrganizationalUnitIds: { 'Fn::Split': [',', { Ref: 'MemberOrganizationalUnitIds' }] },
        },
        Regions: [{ Ref: 'AWS::Region' }],
      },
    ]);
  });

  it('one failing account (a role of that name already there) does not stop the others', () => {
    expect(props.OperationPreferences).toMatchObject({
      FailureTolerancePercentage: 100,
      MaxConcurrentPercentage: 100,
    });
  });

  it('deploys the member role template', () => {
    expect(JSON.parse(props.TemplateBody as string)).toEqual(memberRoleTemplate());
  });

  it("passes the auditor's account and its audit and remediation roles to the member role's trust", () => {
    expect(props.Parameters).toEqual([
      { ParameterKey: 'MemberRoleName', ParameterValue: 'DynamoDbBackupAuditorMember' },
      { ParameterKey: 'AuditorAccountId', ParameterValue: { Ref: 'AWS::AccountId' } },
      {
        ParameterKey: 'AuditorRoleArns',
        ParameterValue: {
          'Fn::Join': [',', roleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] }))],
        },
      },
      { ParameterKey: 'AuditorOrganizationId', ParameterValue: '' },
    ]);
  });

  it('has no cdk-nag AwsSolutions violation, with or without an environment', () => {
    const violations = (a: App) =>
      new AwsSolutionsChecks()
        .validateScope(a)
        .violations.flatMap((v) =>
          v.violatingResources
            .filter((r) => (r.constructPath ?? '').includes('/MemberRoles/'))
            .map(() => v.ruleName),
        );

    expect(violations(app)).toEqual([]);
    expect(violations(build({ account: '111111111111', region: 'eu-west-1' }).app)).toEqual([]);
  });
});
