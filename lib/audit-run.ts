import { CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct, DependencyGroup } from 'constructs';
import { LOG_RETENTION } from './lambda-defaults';
import { acknowledgeWildcards } from './nag';

/**
 * Lambda's own transient errors, as Step Functions names them: the only errors a run retries. An
 * error of the handler itself (InvalidAuditEventError, ConfigurationError, …) is not retried: it
 * becomes that item's failure, which the aggregation reports as the item's ERROR.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** The run's files in the reports bucket (see lambda/shared/run/run-keys.ts). */
const RUNS_PREFIX = 'runs/';

export interface AuditRunProps {
  /** The audit function: invoked once per account × region with `{region, accountId, runId, notify}`. */
  readonly auditFunction: lambda.IFunction;
  /** The run function (lambda/run): `{"step":"plan"}` first, `{"step":"aggregate"}` last. */
  readonly runFunction: lambda.IFunction;
  /** The reports bucket: the run's items, the Map's results and the run's report under `runs/`. */
  readonly reportsBucket: s3.IBucket;
  /** MaxConcurrentAudits: account × region audits in flight at once (1–1000; a parameter's valueAsNumber). */
  readonly maxConcurrentAudits: number;
  /**
   * The longest a run may take (1,000 accounts × 17 regions at 10 audits in flight takes hours).
   * @default Duration.hours(12)
   */
  readonly timeout?: Duration;
  /**
   * The state machine's name: fixed, so the audit function can be given its ARN without a reference
   * (the function is in the state machine's definition).
   * @default - a name CloudFormation generates
   */
  readonly stateMachineName?: string;
  /**
   * X-Ray tracing of the state machine.
   * @default false
   */
  readonly tracingEnabled?: boolean;
  /**
   * @default LOG_RETENTION (three months)
   */
  readonly logRetention?: logs.RetentionDays;
}

/** An ItemReader whose IAM grant is limited to the run files of the bucket. */
class RunItemsReader extends sfn.S3JsonItemReader {
  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${RUNS_PREFIX}*`)],
      }),
    ];
  }
}

/** A ResultWriter whose IAM grant is limited to the run files of the bucket. */
class RunResultsWriter extends sfn.ResultWriterV2 {
  constructor(
    private readonly reportsBucket: s3.IBucket,
    prefix: string,
  ) {
    super({ bucket: reportsBucket, prefix });
  }

  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.reportsBucket.arnForObjects(`${RUNS_PREFIX}*`)],
      }),
    ];
  }
}

/**
 * One scheduled run = one STANDARD Step Functions execution (docs/design.md, "Organization"):
 *
 * 1. `Plan` (run function, `{"step":"plan"}`): resolves the accounts and regions, writes
 *    `runs/<runId>/items.json`, returns `{runId, bucket, itemsKey, resultsPrefix, accounts, regions,
 *    items, perRegionDigests, maxConcurrency}` at `$.plan`.
 * 2. `Audits`: a Distributed Map over that file (ItemReader), MaxConcurrency from the plan
 *    (MaxConcurrencyPath; the plan echoes MaxConcurrentAudits after checking it), every item's
 *    failure tolerated (ToleratedFailurePercentage 100), STANDARD child executions (an audit runs up to
 *    15 minutes, past EXPRESS's 5), each invoking the audit function with
 *    `{region, accountId, runId, notify}` and retrying only Lambda's transient errors; the children's
 *    results go to `runs/<runId>/results/` (ResultWriter), not through the state.
 * 3. `Aggregate` (run function, `{"step":"aggregate"}`): reads those results, writes
 *    `runs/<runId>/summary.json` and sends the run's digest.
 *
 * The role can invoke the two functions, start, describe and stop its own child executions, and
 * read and write objects under `runs/` of the bucket (and use its key). Logs: every event (without
 * execution data) to its own log group. The schedule starts executions with `stateMachine.grantStartExecution`.
 */
export class AuditRun extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  /**
   * Every policy its runs need beyond the state machine itself: make whatever starts executions (the schedule)
   * depend on it, `schedule.node.addDependency(run.readyToStart)`.
   */
  public readonly readyToStart: DependencyGroup;

  constructor(scope: Construct, id: string, props: AuditRunProps) {
    super(scope, id);
    // The Map's ResultWriterV2 (Bucket and a per-run Prefix) instead of the deprecated ResultWriter.
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);

    const plan = new tasks.LambdaInvoke(this, 'Plan', {
      lambdaFunction: props.runFunction,
      payload: sfn.TaskInput.fromObject({
        step: 'plan',
        executionName: sfn.JsonPath.stringAt('$$.Execution.Name'),
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
        maxConcurrency: props.maxConcurrentAudits,
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.plan',
      comment: 'Resolves the accounts and regions and writes the items to the reports bucket',
    });

    const audit = new tasks.LambdaInvoke(this, 'Audit', {
      lambdaFunction: props.auditFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      // Lambda stops the audit at 15 minutes; this only frees a child whose invocation never returned.
      taskTimeout: sfn.Timeout.duration(Duration.minutes(16)),
      comment: 'Audits one account and region; returns its summary (the findings go to the reports bucket)',
    });

    const audits = new sfn.DistributedMap(this, 'Audits', {
      comment: 'One audit per account and region',
      label: 'Audits',
      itemReader: new RunItemsReader({
        bucket: props.reportsBucket,
        key: sfn.JsonPath.stringAt('$.plan.itemsKey'),
      }),
      itemSelector: {
        accountId: sfn.JsonPath.stringAt('$$.Map.Item.Value.accountId'),
        region: sfn.JsonPath.stringAt('$$.Map.Item.Value.region'),
        runId: sfn.JsonPath.stringAt('$.plan.runId'),
        notify: sfn.JsonPath.stringAt('$.plan.perRegionDigests'),
      },
      maxConcurrencyPath: '$.plan.maxConcurrency',
      toleratedFailurePercentage: 100,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      resultWriterV2: new RunResultsWriter(
        props.reportsBucket,
        sfn.JsonPath.stringAt('$.plan.resultsPrefix'),
      ),
      resultPath: '$.audits',
    });
    audits.itemProcessor(audit);

    const aggregate = new tasks.LambdaInvoke(this, 'Aggregate', {
      lambdaFunction: props.runFunction,
      payload: sfn.TaskInput.fromObject({
        step: 'aggregate',
        plan: sfn.JsonPath.objectAt('$.plan'),
        resultWriter: sfn.JsonPath.objectAt('$.audits.ResultWriterDetails'),
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.aggregate',
      comment: "Reads the audits' results, writes the run's report and sends the run's digest",
    });

    for (const task of [plan, audit, aggregate]) {
      task.addRetry({
        errors: LAMBDA_TRANSIENT_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
        maxDelay: Duration.seconds(60),
        jitterStrategy: sfn.JitterType.FULL,
      });
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? LOG_RETENTION });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'DynamoDB backup audit run: plan, one audit per account and region, aggregate',
      ...(props.stateMachineName ? { stateMachineName: props.stateMachineName } : {}),
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(audits).next(aggregate)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.timeout ?? Duration.hours(12),
      tracingEnabled: props.tracingEnabled ?? false,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.dependOnPolicyOnly();
    // What starts runs references the state machine already; it must also wait for the Map's policy.
    this.readyToStart = new DependencyGroup();
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy) this.readyToStart.add(mapPolicy);
    // SSE-KMS objects: read the items and results, write the results.
    props.reportsBucket.encryptionKey?.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');
    this.acknowledge(props);
  }

  /**
   * The state machine waits for its role's default policy, not for the role itself, which its
   * `RoleArn: GetAtt` already orders (cfn-lint W3005). The Distributed Map's policy names the state
   * machine, so it comes after it: whatever starts runs waits for `readyToStart`.
   */
  private dependOnPolicyOnly(): void {
    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (CfnResource.isCfnResource(policy)) {
      const cfn = this.stateMachine.node.defaultChild as sfn.CfnStateMachine;
      cfn.addOverride('DependsOn', [Stack.of(this).getLogicalId(policy)]);
    }
  }

  /** cdk-nag acknowledgements, rendered from the ARNs the role is granted. */
  private acknowledge(props: AuditRunProps): void {
    const role = this.stateMachine.role;
    acknowledgeWildcards(
      role,
      {
        resource: `${props.auditFunction.functionArn}:*`,
        reason:
          'Added by the LambdaInvoke task: the qualified ARNs (versions, aliases) of the audit function only.',
      },
      {
        resource: `${props.runFunction.functionArn}:*`,
        reason:
          'Added by the LambdaInvoke tasks: the qualified ARNs (versions, aliases) of the run function only.',
      },
      {
        resource: props.reportsBucket.arnForObjects(`${RUNS_PREFIX}*`),
        reason:
          "The Map reads each run's items and writes its results under runs/<runId>/, a key only known at run time; " +
          'the grant is limited to the runs/ prefix of the reports bucket.',
      },
      {
        resource: '*',
        reason:
          'CloudWatch Logs delivery (logs:CreateLogDelivery, …) and X-Ray actions support no resource scope; they ' +
          'are what Step Functions needs to log and trace its own executions.',
      },
    );
    // Added by the state machine for its Distributed Map: describe, stop and redrive its own executions.
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy instanceof iam.Policy) {
      const document = Stack.of(this).resolve(mapPolicy.document) as { Statement?: { Resource?: unknown }[] };
      const wildcards = (document.Statement ?? [])
        .flatMap((statement) =>
          Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
        )
        .filter((resource) => JSON.stringify(resource).includes('*'));
      Validations.of(mapPolicy).acknowledge(
        ...wildcards.map((resource) => ({
          id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(resource)}]`,
          reason:
            "Added by the Distributed Map: DescribeExecution, StopExecution and RedriveExecution on this state machine's " +
            'own executions, whose names are only known at run time.',
        })),
      );
    }
    if (!(props.tracingEnabled ?? false)) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF2',
        reason:
          'X-Ray tracing is optional (tracingEnabled): the execution history, the Map Run, every event in CloudWatch ' +
          'Logs and the functions’ logs already trace a run; tracing thousands of child executions per run costs more than it shows.',
      });
    }
  }
}
