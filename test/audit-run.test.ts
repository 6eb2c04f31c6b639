/**
 * The run's state machine (lib/audit-run.ts) on a small test stack with stand-in functions and
 * bucket: the definition (plan, a Distributed Map with STANDARD children, concurrency from the
 * parameter, every failure tolerated, retries on Lambda's transient errors only, the aggregation),
 * the role's least privilege, logging, and cdk-nag.
 */
import { App, CfnParameter, Environment, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Dependable, IConstruct } from 'constructs';
import { AuditRun, AuditRunProps, LAMBDA_TRANSIENT_ERRORS } from '../lib/audit-run';

type Json = Record<string, unknown>;

interface Built {
  app: App;
  template: Template;
  definition: Json;
  resources: Record<string, { Type: string; Properties: Json }>;
  ids: { audit: string; run: string; bucket: string; key: string };
  readyToStart: IConstruct[];
}

function build(options: { env?: Environment; props?: Partial<AuditRunProps> } = {}): Built {
  const app = new App();
  const stack = new Stack(app, 'RunTest', options.env ? { env: options.env } : {});
  const standIn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
  const key = new kms.Key(stack, 'ReportsKey', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Reports', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const maxConcurrentAudits = new CfnParameter(stack, 'MaxConcurrentAudits', {
    type: 'Number',
    default: 40,
    minValue: 1,
    maxValue: 1000,
  });
  const audit = standIn('AuditStandIn');
  const run = standIn('RunStandIn');
  const auditRun = new AuditRun(stack, 'AuditRun', {
    auditFunction: audit,
    runFunction: run,
    reportsBucket: bucket,
    maxConcurrentAudits: maxConcurrentAudits.valueAsNumber,
    ...options.props,
  });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Built['resources'] };
  const [, machine] =
    Object.entries(json.Resources).find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine') ?? [];
  if (!machine) throw new Error('no state machine');
  return {
    app,
    template,
    definition: parseDefinition(machine.Properties.DefinitionString),
    resources: json.Resources,
    ids: {
      audit: stack.getLogicalId(audit.node.defaultChild as lambda.CfnFunction),
      run: stack.getLogicalId(run.node.defaultChild as lambda.CfnFunction),
      bucket: stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket),
      key: stack.getLogicalId(key.node.defaultChild as kms.CfnKey),
    },
    readyToStart: Dependable.of(auditRun.readyToStart).dependencyRoots,
  };
}

/**
 * The ASL with each CloudFormation token replaced: inside a JSON string by `<Ref X>` / `<GetAtt X>`,
 * elsewhere (a number such as MaxConcurrency) by the token object itself.
 */
function parseDefinition(definition: unknown): Json {
  const parts = (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    const inString = (text.match(/(?<!\\)"/g) ?? []).length % 2 === 1;
    text += inString
      ? token.Ref !== undefined
        ? `<Ref ${token.Ref}>`
        : `<GetAtt ${token['Fn::GetAtt']?.[0]}>`
      : JSON.stringify(part);
  }
  return JSON.parse(text) as Json;
}

const states = (definition: Json) => definition.States as Record<string, Json>;

function statementsOfStateMachineRole(built: Built): Json[] {
  const machine = Object.values(built.resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const roleId = (machine?.Properties.RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(built.resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Json[] }).Statement);
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function unacknowledged(app: App): string[] {
  return new AwsSolutionsChecks()
    .validateScope(app)
    .violations.flatMap((violation) =>
      violation.violatingResources
        .filter((r) => (r.constructPath ?? '').includes('/AuditRun/'))
        .map((r) => `${violation.ruleName} at ${r.constructPath}`),
    );
}

describe('AuditRun state machine', () => {
  const built = build();
  const { definition, ids } = built;

  it('plans, then audits in a Distributed Map, then aggregates', () => {
    expect(definition.StartAt).toBe('Plan');
    expect(states(definition).Plan).toMatchObject({ Type: 'Task', Next: 'Audits', ResultPath: '$.plan' });
    expect(states(definition).Audits).toMatchObject({
      Type: 'Map',
      Next: 'Aggregate',
      ResultPath: '$.audits',
    });
    expect(states(definition).Aggregate).toMatchObject({ Type: 'Task', End: true });
    built.template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    built.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
    });
  });

  it('the plan step gets MaxConcurrentAudits from the parameter, the execution name and start time', () => {
    expect(states(definition).Plan).toMatchObject({
      Resource: `<GetAtt ${ids.run}>`,
      Parameters: {
        step: 'plan',
        'executionName.$': '$$.Execution.Name',
        'startedAt.$': '$$.Execution.StartTime',
        maxConcurrency: { Ref: 'MaxConcurrentAudits' },
      },
    });
  });

  it('the Map is DISTRIBUTED with STANDARD children, its concurrency from the plan, every failure tolerated', () => {
    const map = states(definition).Audits as Json;

    expect(map.ItemProcessor).toMatchObject({
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
    });
    expect(map.MaxConcurrencyPath).toBe('$.plan.maxConcurrency');
    expect(map.MaxConcurrency).toBeUndefined();
    expect(map.ToleratedFailurePercentage).toBe(100);
  });

  it('reads the items from the JSON file the plan wrote, and writes the results under the run', () => {
    const map = states(definition).Audits as Json;

    expect(map.ItemReader).toEqual({
      Resource: expect.stringMatching(/:states:::s3:getObject$/),
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: `<Ref ${ids.bucket}>`, 'Key.$': '$.plan.itemsKey' },
    });
    expect(map.ResultWriter).toEqual({
      Resource: expect.stringMatching(/:states:::s3:putObject$/),
      Parameters: { Bucket: `<Ref ${ids.bucket}>`, 'Prefix.$': '$.plan.resultsPrefix' },
    });
    expect(map.ItemsPath).toBeUndefined();
  });

  it('invokes the audit function once per item with {region, accountId, runId, notify}', () => {
    const map = states(definition).Audits as Json;
    const processor = map.ItemProcessor as { StartAt: string; States: Record<string, Json> };

    expect(map.ItemSelector).toEqual({
      'accountId.$': '$$.Map.Item.Value.accountId',
      'region.$': '$$.Map.Item.Value.region',
      'runId.$': '$.plan.runId',
      'notify.$': '$.plan.perRegionDigests',
    });
    expect(Object.keys(processor.States)).toEqual([processor.StartAt]);
    expect(processor.States[processor.StartAt]).toMatchObject({
      Type: 'Task',
      Resource: `<GetAtt ${ids.audit}>`,
      End: true,
      TimeoutSeconds: 960,
    });
  });

  it("retries only Lambda's transient errors, never the handler's own, and catches nothing", () => {
    const processor = (states(definition).Audits as { ItemProcessor: { States: Record<string, Json> } })
      .ItemProcessor;
    const tasks = [states(definition).Plan, states(definition).Aggregate, ...Object.values(processor.States)];

    for (const task of tasks) {
      expect(task?.Retry).toEqual([
        expect.objectContaining({ ErrorEquals: LAMBDA_TRANSIENT_ERRORS, MaxAttempts: 6, BackoffRate: 2 }),
      ]);
      expect(task?.Catch).toBeUndefined();
    }
    expect(JSON.stringify(definition)).not.toMatch(
      /States\.(ALL|TaskFailed)|InvalidAuditEventError|ConfigurationError/,
    );
    expect(LAMBDA_TRANSIENT_ERRORS).toEqual([
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ]);
  });

  it("aggregates with the plan and the Map's ResultWriter output", () => {
    expect(states(definition).Aggregate).toMatchObject({
      Resource: `<GetAtt ${ids.run}>`,
      Parameters: { step: 'aggregate', 'plan.$': '$.plan', 'resultWriter.$': '$.audits.ResultWriterDetails' },
      ResultPath: '$.aggregate',
    });
  });

  it('logs every event without execution data to its own log group, and times out after 12 hours', () => {
    built.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditRunLogs'), 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: false },
    });
    built.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    expect(definition.TimeoutSeconds).toBe(43_200);
  });

  it('its role invokes only the two functions and touches only runs/ of the bucket, with its key', () => {
    const statements = statementsOfStateMachineRole(built);
    const byAction = (action: string) =>
      statements.filter((s) => list(s.Action as string | string[]).includes(action));
    const resources = (action: string) => byAction(action).flatMap((s) => list(s.Resource));

    expect(resources('lambda:InvokeFunction')).toEqual(
      expect.arrayContaining([{ 'Fn::GetAtt': [ids.audit, 'Arn'] }, { 'Fn::GetAtt': [ids.run, 'Arn'] }]),
    );
    expect(resources('lambda:InvokeFunction')).toHaveLength(4); // each function and its qualified ARNs
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload']) {
      expect(new Set(resources(action).map((r) => JSON.stringify(r)))).toEqual(
        new Set([JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/runs/*']] })]),
      );
    }
    expect(resources('kms:Decrypt')).toEqual([{ 'Fn::GetAtt': [ids.key, 'Arn'] }]);
    expect(resources('kms:GenerateDataKey')).toEqual([{ 'Fn::GetAtt': [ids.key, 'Arn'] }]);
    expect(byAction('states:StartExecution')).toHaveLength(1);
    const actions = statements.flatMap((s) => list(s.Action as string | string[]));
    expect(actions.filter((a) => !/^(lambda:InvokeFunction|s3:|kms:|states:|logs:)/.test(a))).toEqual([]);
    expect(actions.some((a) => a.includes('Delete') && !a.startsWith('logs:DeleteLogDelivery'))).toBe(false);
    expect(actions.some((a) => a.endsWith('*'))).toBe(false);
  });

  it('waits for its role policy, and tells the schedule to wait for the Distributed Map policy too', () => {
    const machine = Object.values(built.resources).find(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    ) as {
      DependsOn?: string[];
    };
    const policyIds = Object.entries(built.resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .map(([id]) => id);

    expect(machine.DependsOn).toEqual([expect.stringMatching(/^AuditRunStateMachineRoleDefaultPolicy/)]);
    expect(policyIds).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AuditRunStateMachineDistributedMapPolicy/)]),
    );
    expect(built.readyToStart.map((c) => c.node.id).sort()).toEqual(['DistributedMapPolicy']);
  });

  it('has no unacknowledged cdk-nag AwsSolutions violation', () => {
    expect(unacknowledged(built.app)).toEqual([]);
  });
});

describe('AuditRun options and environments', () => {
  it('traces with X-Ray when asked', () => {
    const built = build({ props: { tracingEnabled: true } });

    built.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
    });
    expect(unacknowledged(built.app)).toEqual([]);
  });

  it.each([
    ['aws', { account: '111111111111', region: 'eu-west-1' }],
    ['aws-cn', { account: '222222222222', region: 'cn-north-1' }],
  ])('has no unacknowledged cdk-nag violation with an environment in %s', (_partition, env) => {
    expect(unacknowledged(build({ env }).app)).toEqual([]);
  });
});
