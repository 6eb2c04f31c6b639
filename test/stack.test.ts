import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DynamoDbBackupAuditorStack } from '../lib/auditor-stack';

type Json = Record<string, unknown>;

interface CfnResourceJson {
  Type: string;
  Properties: Json;
  Condition?: string;
  DependsOn?: string[];
  DeletionPolicy?: string;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Json;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `arn:${Partition}:<rest>` as CloudFormation renders it, with `{Ref: ...}` for the pseudo parameters. */
const arnJoin = (...parts: unknown[]) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]],
});
const ACCOUNT = { Ref: 'AWS::AccountId' };
const REGION = { Ref: 'AWS::Region' };
/** The run's state machine, by its fixed name `<stack name>-audit-run`. */
const stateMachineArn = arnJoin(':states:', REGION, ':', ACCOUNT, ':stateMachine:', {
  'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'audit-run']],
});

/** CloudFormation matches AllowedPattern against the whole value. */
const matchesWhole = (pattern: string, value: string): boolean => new RegExp(`^(?:${pattern})$`).test(value);

describe('DynamoDbBackupAuditorStack', () => {
  let template: Template;
  let resources: Record<string, CfnResourceJson>;
  let json: Json;
  let auditFunctionId: string;
  let remediationFunctionId: string;
  let auditRoleId: string;
  let remediationRoleId: string;
  let topicId: string;
  let keyId: string;
  let queueId: string;

  const ofType = (type: string): [string, CfnResourceJson][] =>
    Object.entries(resources).filter(([, resource]) => resource.Type === type);

  const onlyOfType = (type: string): [string, CfnResourceJson] => {
    const found = ofType(type);
    expect(found).toHaveLength(1);
    return found[0] as [string, CfnResourceJson];
  };

  const functionByService = (serviceName: string): string => {
    const found = ofType('AWS::Lambda::Function').filter(
      ([, fn]) =>
        ((fn.Properties.Environment as Json).Variables as Json).POWERTOOLS_SERVICE_NAME === serviceName,
    );
    expect(found).toHaveLength(1);
    return (found[0] as [string, CfnResourceJson])[0];
  };

  const roleOf = (functionId: string): string => {
    const role = resources[functionId]?.Properties.Role as { 'Fn::GetAtt': [string, string] };
    return role['Fn::GetAtt'][0];
  };

  const propertiesOf = (id: string): Json => {
    const resource = resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    return resource.Properties;
  };

  /** Every statement of every identity policy attached to the role (inline, separate, managed). */
  const statementsOfRole = (roleId: string): Statement[] => {
    const role = resources[roleId];
    if (!role) throw new Error(`no role ${roleId}`);
    const statements: Statement[] = [];
    for (const inline of list(role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[])) {
      statements.push(...inline.PolicyDocument.Statement);
    }
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      if (
        list(policy.Properties.Roles as unknown[]).some(
          (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
        )
      ) {
        statements.push(...(policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      }
    }
    for (const managed of list(role.Properties.ManagedPolicyArns as unknown[])) {
      const ref = (managed as { Ref?: string }).Ref;
      const policy = ref ? resources[ref] : undefined;
      if (!policy) throw new Error(`role ${roleId} has a managed policy that is not in the stack`);
      statements.push(...(policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    }
    return statements;
  };

  const allowedActions = (roleId: string): string[] =>
    statementsOfRole(roleId)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Action));

  /** Resources on which the role is allowed `action`, over all its statements. */
  const resourcesFor = (roleId: string, action: string): unknown[] =>
    statementsOfRole(roleId)
      .filter((s) => s.Effect === 'Allow' && list(s.Action).includes(action))
      .flatMap((s) => list(s.Resource));

  const topicPolicyStatements = (): Statement[] =>
    (onlyOfType('AWS::SNS::TopicPolicy')[1].Properties.PolicyDocument as { Statement: Statement[] })
      .Statement;

  const keyPolicyStatements = (): Statement[] =>
    (propertiesOf(keyId).KeyPolicy as { Statement: Statement[] }).Statement;

  beforeAll(() => {
    const stack = new DynamoDbBackupAuditorStack(new App(), 'Auditor');
    template = Template.fromStack(stack);
    json = template.toJSON() as Json;
    resources = json.Resources as Record<string, CfnResourceJson>;
    auditFunctionId = functionByService('dynamodb-backup-audit');
    remediationFunctionId = functionByService('dynamodb-backup-remediate');
    auditRoleId = roleOf(auditFunctionId);
    remediationRoleId = roleOf(remediationFunctionId);
    topicId = onlyOfType('AWS::SNS::Topic')[0];
    keyId = (propertiesOf(topicId).KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    queueId = onlyOfType('AWS::SQS::Queue')[0];
  });

  describe('parameters', () => {
    it('offers AutoRemediation as true or false, off by default', () => {
      template.hasParameter('AutoRemediation', {
        Type: 'String',
        Default: 'false',
        AllowedValues: ['true', 'false'],
        Description: Match.anyValue(),
        ConstraintDescription: Match.anyValue(),
      });
    });

    it.each([
      ['NotificationEmail', ''],
      ['ScheduleExpression', 'rate(1 day)'],
      ['AuditRegions', ''],
      ['SlackWorkspaceId', ''],
      ['SlackChannelId', ''],
    ])('declares %s as a constrained string defaulting to %j', (name, defaultValue) => {
      template.hasParameter(name, {
        Type: 'String',
        Default: defaultValue,
        AllowedPattern: Match.anyValue(),
        Description: Match.anyValue(),
        ConstraintDescription: Match.anyValue(),
      });
    });

    it('offers the policy: MaxBackupAgeHours 0–87600 (0 by default), ExemptTables, VerifyTableIdentity off', () => {
      const parameters = json.Parameters as Record<string, Json>;
      expect(parameters.MaxBackupAgeHours).toMatchObject({
        Type: 'Number',
        Default: 0,
        MinValue: 0,
        MaxValue: 87600,
      });
      expect(parameters.ExemptTables).toMatchObject({ Type: 'String', Default: '' });
      expect(parameters.VerifyTableIdentity).toMatchObject({
        Type: 'String',
        Default: 'false',
        AllowedValues: ['true', 'false'],
      });
      const groups = (
        (json.Metadata as Json)['AWS::CloudFormation::Interface'] as {
          ParameterGroups: { Label: { default: string }; Parameters: string[] }[];
        }
      ).ParameterGroups;
      expect(groups.find((g) => g.Label.default === 'Policy')?.Parameters).toEqual([
        'MaxBackupAgeHours',
        'ExemptTables',
        'VerifyTableIdentity',
      ]);
    });

    it('groups and labels every parameter for the CloudFormation console', () => {
      const contract = [
        'AutoRemediation',
        'NotificationEmail',
        'ScheduleExpression',
        'AuditRegions',
        'SlackWorkspaceId',
        'SlackChannelId',
        'MaxBackupAgeHours',
        'ExemptTables',
        'VerifyTableIdentity',
        'ReportRetentionDays',
        'SecurityHubFindings',
        'AuditAccounts',
        'MemberRoleName',
        'MemberOrganizationalUnitIds',
        'MaxConcurrentAudits',
        'MemberStackSetCallAs',
        'OrganizationId',
      ];
      const ui = (json.Metadata as Json)['AWS::CloudFormation::Interface'] as {
        ParameterGroups: { Label: { default: string }; Parameters: string[] }[];
        ParameterLabels: Record<string, { default: string }>;
      };
      const grouped = ui.ParameterGroups.flatMap((group) => group.Parameters);
      expect([...grouped].sort()).toEqual([...contract].sort());
      expect(Object.keys(ui.ParameterLabels).sort()).toEqual([...contract].sort());
      for (const group of ui.ParameterGroups) expect(group.Label.default).not.toBe('');
    });
  });

  describe('parameter patterns (matched against the whole value, as CloudFormation does)', () => {
    const patternOf = (name: string): string =>
      ((json.Parameters as Record<string, Json>)[name] as { AllowedPattern: string }).AllowedPattern;

    it.each([
      ['AuditRegions', ''],
      ['AuditRegions', 'ALL'],
      ['AuditRegions', 'us-east-1,eu-west-1'],
      ['AuditRegions', 'ap-southeast-2'],
      ['AuditRegions', 'us-gov-west-1,cn-north-1'],
      ['NotificationEmail', ''],
      ['NotificationEmail', 'ops@example.com'],
      ['ScheduleExpression', 'rate(1 day)'],
      ['ScheduleExpression', 'rate(12 hours)'],
      ['ScheduleExpression', 'cron(0 3 * * ? *)'],
      ['SlackWorkspaceId', ''],
      ['SlackWorkspaceId', 'T0123ABCD'],
      ['SlackChannelId', ''],
      ['SlackChannelId', 'C0123ABCD'],
      ['ExemptTables', ''],
      ['ExemptTables', 'dev-*,scratch'],
      ['ExemptTables', '*-tmp,orders.v2'],
      ['OrganizationId', ''],
      ['OrganizationId', 'o-a1b2c3d4e5'],
    ])('%s accepts %j', (name, value) => {
      expect(matchesWhole(patternOf(name), value)).toBe(true);
    });

    it.each([
      ['AuditRegions', 'us-east-1, eu-west-1'],
      ['AuditRegions', 'US-EAST-1'],
      ['AuditRegions', 'all'],
      ['AuditRegions', 'us-east-1,'],
      ['AuditRegions', ',us-east-1'],
      ['AuditRegions', 'us-east'],
      ['NotificationEmail', 'ops'],
      ['NotificationEmail', 'ops@example'],
      ['NotificationEmail', 'o ps@example.com'],
      ['ScheduleExpression', 'daily'],
      ['ScheduleExpression', 'rate(0 days)'],
      ['ScheduleExpression', 'rate(1 week)'],
      ['ScheduleExpression', 'cron(0 3 * * ?)'],
      ['ScheduleExpression', 'at(2030-01-01T00:00:00)'],
      ['SlackWorkspaceId', 'T0123 ABCD'],
      ['SlackWorkspaceId', 't0123abcd'],
      ['SlackChannelId', 'C0123-ABCD'],
      ['ExemptTables', 'dev-*, scratch'],
      ['ExemptTables', 'dev tables'],
      ['ExemptTables', 'dev-*,'],
      ['OrganizationId', 'o-short'],
      ['OrganizationId', 'r-a1b2'],
    ])('%s rejects %j', (name, value) => {
      expect(matchesWhole(patternOf(name), value)).toBe(false);
    });
  });

  it('passes OrganizationId to the member roles the StackSet deploys (their aws:PrincipalOrgID)', () => {
    const [stackSet] = Object.values(json.Resources as Record<string, CfnResourceJson>).filter(
      (r) => r.Type === 'AWS::CloudFormation::StackSet',
    );
    expect(stackSet?.Properties.Parameters).toContainEqual({
      ParameterKey: 'AuditorOrganizationId',
      ParameterValue: { Ref: 'OrganizationId' },
    });
  });

  describe('conditions', () => {
    const notEmpty = (parameter: string) => ({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: parameter }, ''] }] });

    it('subscribes the notification email only when an address is given', () => {
      expect((json.Conditions as Json).HasNotificationEmail).toEqual(notEmpty('NotificationEmail'));
      template.resourceCountIs('AWS::SNS::Subscription', 1);
      template.hasResource('AWS::SNS::Subscription', {
        Condition: 'HasNotificationEmail',
        Properties: { Protocol: 'email', Endpoint: { Ref: 'NotificationEmail' }, TopicArn: { Ref: topicId } },
      });
    });

    it('creates the Slack channel, its role and its policy only when both Slack ids are given', () => {
      expect((json.Conditions as Json).HasSlack).toEqual({
        'Fn::And': [notEmpty('SlackWorkspaceId'), notEmpty('SlackChannelId')],
      });
      const [, configuration] = onlyOfType('AWS::Chatbot::SlackChannelConfiguration');
      expect(configuration.Condition).toBe('HasSlack');
      const roleId = (configuration.Properties.IamRoleArn as { 'Fn::GetAtt': string[] })[
        'Fn::GetAtt'
      ][0] as string;
      expect(resources[roleId]?.Condition).toBe('HasSlack');
      const policyIds = list(resources[roleId]?.Properties.ManagedPolicyArns as { Ref: string }[]).map(
        (p) => p.Ref,
      );
      expect(policyIds.length).toBeGreaterThan(0);
      for (const id of policyIds) expect(resources[id]?.Condition).toBe('HasSlack');
    });

    it('posts the topic to the given Slack workspace and channel, logging errors only', () => {
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        SlackWorkspaceId: { Ref: 'SlackWorkspaceId' },
        SlackChannelId: { Ref: 'SlackChannelId' },
        SnsTopicArns: [{ Ref: topicId }],
        LoggingLevel: 'ERROR',
      });
    });

    it('limits the Slack channel to reading CloudWatch alarms and metrics, as role and as guardrail', () => {
      const [, configuration] = onlyOfType('AWS::Chatbot::SlackChannelConfiguration');
      const roleId = (configuration.Properties.IamRoleArn as { 'Fn::GetAtt': string[] })[
        'Fn::GetAtt'
      ][0] as string;
      const role = resources[roleId] as CfnResourceJson;
      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'chatbot.amazonaws.com' } },
        ],
      });
      const managed = list(role.Properties.ManagedPolicyArns as unknown[]);
      expect(managed).toHaveLength(1);
      expect(configuration.Properties.GuardrailPolicies).toEqual(managed);
      const actions = allowedActions(roleId);
      expect(actions.length).toBeGreaterThan(0);
      for (const action of actions) expect(action).toMatch(/^cloudwatch:(Describe|Get)[A-Za-z]+$/);
    });
  });

  describe('notification topic', () => {
    it('encrypts the topic with its own customer-managed key, rotated yearly', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('denies publishing without TLS', () => {
      expect(topicPolicyStatements()).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });

    it('allows publishing by the three function roles and by this stack’s alarms only', () => {
      const allows = topicPolicyStatements().filter((s) => s.Effect === 'Allow');
      expect(allows.flatMap((s) => list(s.Action))).toEqual(['sns:Publish', 'sns:Publish']);
      const roles = allows.find((s) => JSON.stringify(s.Principal).includes('Fn::GetAtt'));
      expect(list((roles?.Principal as { AWS: unknown }).AWS)).toEqual(
        expect.arrayContaining([
          { 'Fn::GetAtt': [auditRoleId, 'Arn'] },
          { 'Fn::GetAtt': [remediationRoleId, 'Arn'] },
          { 'Fn::GetAtt': [roleOf(functionByService('dynamodb-backup-run')), 'Arn'] },
        ]),
      );
      expect(list((roles?.Principal as { AWS: unknown }).AWS)).toHaveLength(3);
      expect(allows).toContainEqual(
        expect.objectContaining({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':cloudwatch:',
                    REGION,
                    ':',
                    ACCOUNT,
                    ':alarm:',
                    { Ref: 'AWS::StackName' },
                    '-*',
                  ],
                ],
              },
            },
          },
        }),
      );
    });

    it('denies publishing to every other IAM principal, whatever its own policies allow', () => {
      const deny = topicPolicyStatements().find((s) => s.Sid === 'DenyPublishByOthers');
      expect(deny).toMatchObject({ Effect: 'Deny', Action: 'sns:Publish', Principal: { AWS: '*' } });
      const condition = deny?.Condition as { StringNotEquals: Json; BoolIfExists: Json };
      expect(condition.BoolIfExists).toEqual({ 'aws:PrincipalIsAWSService': 'false' });
      expect(list(condition.StringNotEquals['aws:PrincipalArn'])).toEqual(
        expect.arrayContaining([
          { 'Fn::GetAtt': [auditRoleId, 'Arn'] },
          { 'Fn::GetAtt': [remediationRoleId, 'Arn'] },
        ]),
      );
    });

    it('lets the publishers and this stack’s alarms use the key to publish, nothing more', () => {
      const grants = keyPolicyStatements().filter(
        (s) => !JSON.stringify(s.Principal).includes(':root'), // the account's key administration
      );
      expect(grants).toHaveLength(2);
      for (const grant of grants) {
        expect(list(grant.Action).sort()).toEqual(expect.arrayContaining(['kms:Decrypt']));
        for (const action of list(grant.Action)) expect(action).toMatch(/^kms:(Decrypt|GenerateDataKey\*?)$/);
      }
      expect(grants).toContainEqual(
        expect.objectContaining({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }),
        }),
      );
      expect(grants).toContainEqual(
        expect.objectContaining({
          Principal: {
            AWS: expect.arrayContaining([
              { 'Fn::GetAtt': [auditRoleId, 'Arn'] },
              { 'Fn::GetAtt': [remediationRoleId, 'Arn'] },
            ]),
          },
        }),
      );
    });
  });

  describe('schedule', () => {
    it('starts a run of the state machine on the ScheduleExpression parameter, with the input {}', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      const [stateMachineId] = onlyOfType('AWS::StepFunctions::StateMachine');
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: { Ref: 'ScheduleExpression' },
        State: 'ENABLED',
        Target: {
          Arn: { Ref: stateMachineId },
          Input: '{}',
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        },
      });
    });
  });

  describe('functions', () => {
    it.each([['dynamodb-backup-audit'], ['dynamodb-backup-remediate']])(
      'runs %s on the latest Node.js runtime, on arm64, with JSON logs at INFO',
      (serviceName) => {
        expect(propertiesOf(functionByService(serviceName))).toMatchObject({
          Runtime: expect.stringMatching(/^nodejs2[24]\.x$/),
          Architectures: ['arm64'],
          Handler: 'index.handler',
          LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
        });
      },
    );

    it('gives the audit 15 minutes and 512 MB, and remediation 15 minutes and 256 MB', () => {
      expect(propertiesOf(auditFunctionId)).toMatchObject({ Timeout: 900, MemorySize: 512 });
      expect(propertiesOf(remediationFunctionId)).toMatchObject({ Timeout: 900, MemorySize: 256 });
    });

    it('configures the audit with exactly the contract’s environment', () => {
      const variables = (propertiesOf(auditFunctionId).Environment as Json).Variables as Json;
      expect(Object.keys(variables).sort()).toEqual(
        [
          'TOPIC_ARN',
          'AUTO_REMEDIATION',
          'REMEDIATION_FUNCTION_NAME',
          'AUDIT_REGIONS',
          'MAX_BACKUP_AGE_HOURS',
          'EXEMPT_TABLES',
          'VERIFY_TABLE_IDENTITY',
          'REPORT_BUCKET',
          'SECURITY_HUB_FINDINGS',
          'AUDIT_ACCOUNTS',
          'MEMBER_ROLE_NAME',
          'STATE_MACHINE_ARN',
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_METRICS_NAMESPACE',
          'NODE_OPTIONS',
        ].sort(),
      );
      expect(variables).toEqual({
        TOPIC_ARN: { Ref: topicId },
        AUTO_REMEDIATION: { Ref: 'AutoRemediation' },
        REMEDIATION_FUNCTION_NAME: { Ref: remediationFunctionId },
        AUDIT_REGIONS: { Ref: 'AuditRegions' },
        MAX_BACKUP_AGE_HOURS: { Ref: 'MaxBackupAgeHours' },
        EXEMPT_TABLES: { Ref: 'ExemptTables' },
        VERIFY_TABLE_IDENTITY: { Ref: 'VerifyTableIdentity' },
        REPORT_BUCKET: { Ref: onlyOfType('AWS::S3::Bucket')[0] },
        SECURITY_HUB_FINDINGS: { Ref: 'SecurityHubFindings' },
        AUDIT_ACCOUNTS: { Ref: 'AuditAccounts' },
        MEMBER_ROLE_NAME: { Ref: 'MemberRoleName' },
        // A formatted ARN, not a reference: the state machine's definition refers to the function.
        STATE_MACHINE_ARN: stateMachineArn,
        POWERTOOLS_SERVICE_NAME: 'dynamodb-backup-audit',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: 'DynamoDbBackupAuditor',
        NODE_OPTIONS: '--enable-source-maps --network-family-autoselection-attempt-timeout=500',
      });
    });

    it('configures remediation with exactly the contract’s environment', () => {
      const variables = (propertiesOf(remediationFunctionId).Environment as Json).Variables as Json;
      expect(variables).toEqual({
        TOPIC_ARN: { Ref: topicId },
        AUDIT_REGIONS: { Ref: 'AuditRegions' },
        AUDIT_ACCOUNTS: { Ref: 'AuditAccounts' },
        MEMBER_ROLE_NAME: { Ref: 'MemberRoleName' },
        POWERTOOLS_SERVICE_NAME: 'dynamodb-backup-remediate',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: 'DynamoDbBackupAuditor',
        NODE_OPTIONS: '--enable-source-maps --network-family-autoselection-attempt-timeout=500',
      });
    });

    it.each([['dynamodb-backup-audit'], ['dynamodb-backup-remediate']])(
      'logs %s to its own log group, kept three months and retained on stack deletion',
      (serviceName) => {
        const functionId = functionByService(serviceName);
        const logGroupId = ((propertiesOf(functionId).LoggingConfig as Json).LogGroup as { Ref: string }).Ref;
        expect(resources[logGroupId]).toMatchObject({
          Type: 'AWS::Logs::LogGroup',
          Properties: { RetentionInDays: 90 },
          DeletionPolicy: 'Retain',
        });
        expect(resourcesFor(roleOf(functionId), 'logs:PutLogEvents')).toEqual([
          { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        ]);
        expect(resourcesFor(roleOf(functionId), 'logs:CreateLogStream')).toEqual([
          { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        ]);
      },
    );

    it.each([
      ['dynamodb-backup-audit', 21600],
      // no older than remediation's one-hour idempotency window, so a late event never doubles a backup
      ['dynamodb-backup-remediate', 3600],
    ])(
      'sends %s events that failed once, or are older than %i seconds, straight to the failure queue',
      (serviceName, maxAge) => {
        // Every AWS call is retried by its SDK client; a re-run would only repeat alerts and backups.
        template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: functionByService(serviceName) },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 0,
          MaximumEventAgeInSeconds: maxAge,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
        });
      },
    );

    it('keeps failed events 14 days in an encrypted queue that refuses non-TLS requests', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('IAM', () => {
    const anyTable = arnJoin(':dynamodb:*:', ACCOUNT, ':table/*');

    it('gives each function its own role, assumed by Lambda, without AWS managed policies', () => {
      expect(auditRoleId).not.toBe(remediationRoleId);
      for (const roleId of [auditRoleId, remediationRoleId]) {
        const role = resources[roleId] as CfnResourceJson;
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
          Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
        });
      }
    });

    it('lets the audit call the listing APIs that accept no resource scope on "*" only', () => {
      for (const action of [
        'dynamodb:ListTables',
        'dynamodb:ListBackups',
        'backup:ListBackupVaults',
        'backup:ListRecoveryPointsByResource',
        'tag:GetResources',
      ]) {
        expect(resourcesFor(auditRoleId, action)).toEqual(['*']);
      }
      const wildcard = statementsOfRole(auditRoleId)
        .filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*'))
        .flatMap((s) => list(s.Action))
        .sort();
      expect(wildcard).toEqual(
        [
          'backup:ListBackupVaults',
          'backup:ListRecoveryPointsByResource',
          'dynamodb:ListBackups',
          'dynamodb:ListTables',
          'tag:GetResources',
        ].sort(),
      );
    });

    it('lets the audit describe only this account’s tables (identity checks), whatever VerifyTableIdentity says', () => {
      expect(resourcesFor(auditRoleId, 'dynamodb:DescribeTable')).toEqual([anyTable]);
      expect(allowedActions(auditRoleId).filter((a) => a.startsWith('tag:'))).toEqual(['tag:GetResources']);
    });

    it('lets the audit list only this account’s backup vaults and never change a table', () => {
      expect(resourcesFor(auditRoleId, 'backup:ListRecoveryPointsByBackupVault')).toEqual([
        arnJoin(':backup:*:', ACCOUNT, ':backup-vault:*'),
      ]);
    });

    it('lets the audit start runs of its own state machine only, and never list regions or accounts', () => {
      expect(resourcesFor(auditRoleId, 'states:StartExecution')).toEqual([stateMachineArn]);
      const [, machine] = onlyOfType('AWS::StepFunctions::StateMachine');
      expect(machine.Properties.StateMachineName).toEqual({
        'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'audit-run']],
      });
      expect(allowedActions(auditRoleId)).not.toContain('account:ListRegions');
      expect(allowedActions(auditRoleId)).not.toContain('organizations:ListAccounts');
    });

    it('lets the audit and remediation assume only the member role, in any audited account', () => {
      const memberRoles = arnJoin(':iam::*:role/', { Ref: 'MemberRoleName' });
      expect(resourcesFor(auditRoleId, 'sts:AssumeRole')).toEqual([memberRoles]);
      expect(resourcesFor(remediationRoleId, 'sts:AssumeRole')).toEqual([memberRoles]);
    });

    it('lets the audit invoke the remediation function only, whatever AutoRemediation is', () => {
      expect(resourcesFor(auditRoleId, 'lambda:InvokeFunction')).toEqual([
        { 'Fn::GetAtt': [remediationFunctionId, 'Arn'] },
      ]);
      for (const [, policy] of ofType('AWS::IAM::Policy')) expect(policy.Condition).toBeUndefined();
    });

    it.each([
      ['audit', () => auditRoleId],
      ['remediation', () => remediationRoleId],
    ])('lets the %s role publish to the topic and use its key', (_name, roleIdOf) => {
      expect(resourcesFor(roleIdOf(), 'sns:Publish')).toEqual([{ Ref: topicId }]);
      // (The audit role also encrypts reports with the reports bucket's key: test/reports-stack.test.ts.)
      expect(resourcesFor(roleIdOf(), 'kms:GenerateDataKey')).toContainEqual({
        'Fn::GetAtt': [keyId, 'Arn'],
      });
      expect(resourcesFor(roleIdOf(), 'kms:Decrypt')).toEqual([{ 'Fn::GetAtt': [keyId, 'Arn'] }]);
    });

    it('never lets the audit create backups', () => {
      expect(allowedActions(auditRoleId)).not.toContain('dynamodb:CreateBackup');
    });

    it('lets remediation back up and describe only this account’s tables, and list backups', () => {
      expect(resourcesFor(remediationRoleId, 'dynamodb:CreateBackup')).toEqual([anyTable]);
      expect(resourcesFor(remediationRoleId, 'dynamodb:DescribeTable')).toEqual([anyTable]);
      expect(resourcesFor(remediationRoleId, 'dynamodb:ListBackups')).toEqual(['*']);
    });

    it('lets remediation touch tables only in the audited regions (aws:RequestedRegion from AuditRegions)', () => {
      const auditedRegions = {
        'Fn::If': [
          'AuditsHomeRegion',
          [REGION],
          { 'Fn::If': ['AuditsAllRegions', ['*'], { 'Fn::Split': [',', { Ref: 'AuditRegions' }] }] },
        ],
      };
      const statements = statementsOfRole(remediationRoleId).filter((s) =>
        list(s.Action).some((a) => a.startsWith('dynamodb:')),
      );
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement.Condition).toEqual({ StringLike: { 'aws:RequestedRegion': auditedRegions } });
      }
      expect(json.Conditions).toMatchObject({
        AuditsHomeRegion: { 'Fn::Equals': [{ Ref: 'AuditRegions' }, ''] },
        AuditsAllRegions: { 'Fn::Equals': [{ Ref: 'AuditRegions' }, 'ALL'] },
      });
    });

    it('never lets remediation list tables, read AWS Backup or invoke functions', () => {
      const actions = allowedActions(remediationRoleId);
      expect(actions).not.toContain('dynamodb:ListTables');
      expect(actions.filter((a) => a.startsWith('backup:') || a.startsWith('lambda:'))).toEqual([]);
    });

    it('grants no delete and no wildcard action in any IAM policy', () => {
      const actions = [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')].flatMap(
        ([, policy]) =>
          (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.flatMap((s) =>
            list(s.Action),
          ),
      );
      expect(actions.length).toBeGreaterThan(0);
      // Step Functions manages its own log delivery (logs:DeleteLogDelivery); nothing deletes data.
      expect(actions.filter((a) => /delete/i.test(a) && a !== 'logs:DeleteLogDelivery')).toEqual([]);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    });
  });

  describe('alarms', () => {
    it.each([
      ['dynamodb-backup-audit', 'Errors'],
      ['dynamodb-backup-audit', 'Throttles'],
      ['dynamodb-backup-remediate', 'Errors'],
      ['dynamodb-backup-remediate', 'Throttles'],
    ])('notifies the topic when %s reports any %s within 5 minutes', (serviceName, metricName) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionByService(serviceName) } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
      });
    });

    it('notifies the topic when any failed event waits in the failure queue', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
      });
    });

    it('raises an alarm, without a second notification, when a region could not be audited at all', () => {
      // The audit itself sends one readable alert per such region; the alarm shows the incident.
      const [, alarm] = ofType('AWS::CloudWatch::Alarm').find(
        ([, a]) => a.Properties.MetricName === 'RegionAuditFailures',
      ) ?? ['', { Properties: {} as Json }];
      expect(alarm.Properties).toMatchObject({
        Namespace: 'DynamoDbBackupAuditor',
        Dimensions: [{ Name: 'service', Value: 'dynamodb-backup-audit' }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    });

    it('names every alarm after the stack, as the topic and key policies expect', () => {
      const alarms = ofType('AWS::CloudWatch::Alarm');
      expect(alarms).toHaveLength(9);
      for (const [, alarm] of alarms) {
        expect(alarm.Properties.AlarmName).toEqual({
          'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, expect.stringMatching(/^-[a-z-]+$/)]],
        });
      }
    });
  });

  describe('outputs', () => {
    it('outputs the topic ARN and both function names under the contract’s keys', () => {
      template.hasOutput('TopicArn', { Value: { Ref: topicId } });
      template.hasOutput('AuditFunctionName', { Value: { Ref: auditFunctionId } });
      template.hasOutput('RemediationFunctionName', { Value: { Ref: remediationFunctionId } });
    });
  });
});
