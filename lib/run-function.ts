import * as path from 'path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RUN_SERVICE } from '../lambda/shared/run/service';
import { AuditorFunction, LAMBDA_SOURCE_DIR } from './lambda-defaults';
import { acknowledgeWildcards } from './nag';
import { NotificationTopic } from './notification-topic';

export interface RunFunctionProps {
  /** Topic that receives the run's digest (several accounts). */
  readonly notifications: NotificationTopic;
  /** Queue for failed asynchronous invocations (the state machine invokes it synchronously). */
  readonly failureQueue: sqs.IQueue;
  /** The reports bucket: the run's items and report under `runs/`. */
  readonly reportsBucket: s3.IBucket;
  /** Empty, `ORGANIZATION`, or account ids (may be a parameter token). */
  readonly auditAccounts: string;
  /** Empty, `ALL`, or regions (may be a parameter token). */
  readonly auditRegions: string;
  /**
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * The aggregation holds every item's result (1,000 accounts × 17 regions: tens of MB).
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
}

/**
 * The run function (lambda/run): the plan and aggregate steps of the run's state machine
 * (lib/audit-run.ts). It lists the organization's accounts and this account's enabled regions, reads
 * and writes the run's files under `runs/` of the reports bucket, and publishes the run's digest.
 * Organizations ListAccounts is granted whatever AuditAccounts says, so changing it needs no IAM change
 * (it only succeeds in the management account or a delegated administrator).
 */
export class RunFunction extends Construct {
  public readonly function: lambda.IFunction;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RunFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        "DynamoDB backup auditor run function: lists accounts and regions, reads and writes a run's files",
    });
    const thisAccount = stack.formatArn({
      service: 'account',
      region: '',
      resource: 'account',
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    const thisAccountInAnyOrganization = stack.formatArn({
      service: 'account',
      region: '',
      account: '*',
      resource: 'account',
      resourceName: `o-*/${stack.account}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const runFiles = props.reportsBucket.arnForObjects('runs/*');
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListAccounts',
        actions: ['organizations:ListAccounts'],
        resources: ['*'],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListEnabledRegions',
        actions: ['account:ListRegions'],
        resources: [thisAccount, thisAccountInAnyOrganization],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RunFiles',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [runFiles],
      }),
    );
    props.reportsBucket.encryptionKey?.grant(this.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    acknowledgeWildcards(
      this.role,
      {
        resource: '*',
        reason: 'organizations:ListAccounts supports no resource-level permissions; it is read-only.',
      },
      {
        resource: thisAccountInAnyOrganization,
        reason:
          'account:ListRegions on this account when it is a member of an organization: the ARN names the management ' +
          'account and organization id, unknown here, and still ends with this account id.',
      },
      {
        resource: runFiles,
        reason:
          "Each run's items, results and report lie under runs/<runId>/, known only at run time; the grant is limited " +
          'to the runs/ prefix of the reports bucket and deletes nothing.',
      },
    );

    const fn = new AuditorFunction(this, 'Run', {
      entry: path.join(LAMBDA_SOURCE_DIR, 'run', 'index.ts'),
      serviceName: RUN_SERVICE,
      description: 'Plans a DynamoDB backup audit run (accounts × regions) and aggregates its results',
      role: this.role,
      failureQueue: props.failureQueue,
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? 1024,
      applicationLogLevel: props.applicationLogLevel,
      environment: {
        REPORT_BUCKET: props.reportsBucket.bucketName,
        TOPIC_ARN: props.notifications.topic.topicArn,
        AUDIT_ACCOUNTS: props.auditAccounts,
        AUDIT_REGIONS: props.auditRegions,
      },
    });
    this.function = fn.function;
    props.notifications.grantPublish(this.role);
  }
}
