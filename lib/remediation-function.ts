import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AuditorFunction, LAMBDA_SOURCE_DIR } from './lambda-defaults';
import { anyTableOf } from './arns';
import { grantAssumeMemberRoles } from './member-access';
import { acknowledgeWildcards } from './nag';
import { REMEDIATION_SERVICE } from '../lambda/shared/observability';
import { NotificationTopic } from './notification-topic';

export interface RemediationFunctionProps {
  /** Topic that receives the remediation summary. */
  readonly notifications: NotificationTopic;
  /** Queue for asynchronous invocations that failed after all retries. */
  readonly failureQueue: sqs.IQueue;
  /** The `AuditRegions` value; remediation rejects tables of regions that are not audited. */
  readonly auditRegions: string;
  /**
   * The regions where the role may create backups, matched with `StringLike` against
   * `aws:RequestedRegion` (`*` for every region; may be a list token from the parameters).
   */
  readonly permittedRegions: string[];
  /** AuditAccounts: remediation accepts the tables of these accounts (may be a parameter token). */
  readonly auditAccounts: string;
  /** MemberRoleName: the role assumed in member accounts (may be a parameter token). */
  readonly memberRoleName: string;
  /**
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
}

/**
 * The remediation Lambda: creates one on-demand backup per NON_COMPLIANT table it is handed and
 * publishes a summary. It can create backups and read tables; it cannot delete anything.
 */
export class RemediationFunction extends Construct {
  public readonly function: lambda.IFunction;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RemediationFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'DynamoDB backup auditor remediation function: creates on-demand backups',
    });

    const anyTable = anyTableOf(stack);
    // Only in the audited regions: the event is checked in code too, the policy makes it a guarantee.
    const inAuditedRegions = { StringLike: { 'aws:RequestedRegion': props.permittedRegions } };
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'BackUpTables',
        actions: ['dynamodb:CreateBackup', 'dynamodb:DescribeTable'],
        resources: [anyTable],
        conditions: inAuditedRegions,
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListBackups',
        actions: ['dynamodb:ListBackups'],
        resources: ['*'],
        conditions: inAuditedRegions,
      }),
    );
    acknowledgeWildcards(
      this.role,
      {
        resource: anyTable,
        reason:
          'The tables to back up are only known at run time (any NON_COMPLIANT table of an audited region ' +
          'of this account); the ARN is limited to tables of this account, the regions to the audited ones by ' +
          'aws:RequestedRegion, and backups are the only write.',
      },
      {
        resource: '*',
        reason:
          'dynamodb:ListBackups supports no resource-level permissions (service authorization reference); ' +
          'it only reads backup summaries to skip tables backed up within the last hour.',
      },
    );

    const fn = new AuditorFunction(this, 'Remediate', {
      entry: path.join(LAMBDA_SOURCE_DIR, 'remediate', 'index.ts'),
      serviceName: REMEDIATION_SERVICE,
      description: 'Creates an on-demand backup of each NON_COMPLIANT DynamoDB table it is given',
      role: this.role,
      failureQueue: props.failureQueue,
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? 256,
      // A remediation event older than the idempotency window (a table backed up by this tool within
      // the last hour is skipped) could back a table up twice; drop it: the next audit asks again.
      maxEventAge: Duration.hours(1),
      applicationLogLevel: props.applicationLogLevel,
      environment: {
        TOPIC_ARN: props.notifications.topic.topicArn,
        AUDIT_REGIONS: props.auditRegions,
        AUDIT_ACCOUNTS: props.auditAccounts,
        MEMBER_ROLE_NAME: props.memberRoleName,
      },
    });
    this.function = fn.function;
    props.notifications.grantPublish(this.role);
    grantAssumeMemberRoles(this.role, props.memberRoleName);
  }
}
