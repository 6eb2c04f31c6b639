import * as path from 'path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AuditorFunction, LAMBDA_SOURCE_DIR } from './lambda-defaults';
import { anyTableOf } from './arns';
import { acknowledgeWildcards } from './nag';
import { AUDIT_SERVICE } from '../lambda/shared/observability';
import { NotificationTopic } from './notification-topic';

export interface AuditFunctionProps {
  /** Topic that receives the findings digest of each region. */
  readonly notifications: NotificationTopic;
  /** Queue for failed asynchronous invocations and undeliverable schedule events. */
  readonly failureQueue: sqs.IQueue;
  /** The remediation Lambda, invoked for NON_COMPLIANT tables when `autoRemediation` is `true`. */
  readonly remediationFunction: lambda.IFunction;
  /** `true` or `false` (may be a parameter token); changing it needs no IAM change. */
  readonly autoRemediation: string;
  /** Empty, `ALL`, or a comma-separated list of regions (may be a parameter token). */
  readonly auditRegions: string;
  /** EventBridge Scheduler `rate(...)` or `cron(...)` expression (may be a parameter token). */
  readonly scheduleExpression: string;
  /**
   * The audit policy (may be parameter tokens): MaxBackupAgeHours, ExemptTables, VerifyTableIdentity.
   * Changing any of them needs no IAM change: the permissions every setting needs are granted always.
   */
  readonly policy: { maxBackupAgeHours: string; exemptTables: string; verifyTableIdentity: string };
  /**
   * An audit of thousands of tables runs long.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
}

/**
 * The audit Lambda and its schedule. The schedule sends `{}`, on which the function dispatches one
 * asynchronous invocation of itself per audited region; each regional run lists tables and
 * backups, publishes the findings and hands NON_COMPLIANT tables to remediation when enabled.
 */
export class AuditFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: AuditFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'DynamoDB backup auditor audit function: reads tables and backups',
    });
    this.addReadPermissions(stack);

    const fn = new AuditorFunction(this, 'Audit', {
      entry: path.join(LAMBDA_SOURCE_DIR, 'audit', 'index.ts'),
      serviceName: AUDIT_SERVICE,
      description: 'Audits DynamoDB tables for a usable backup (DynamoDB-005)',
      role: this.role,
      failureQueue: props.failureQueue,
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? 512,
      applicationLogLevel: props.applicationLogLevel,
      environment: {
        TOPIC_ARN: props.notifications.topic.topicArn,
        AUTO_REMEDIATION: props.autoRemediation,
        REMEDIATION_FUNCTION_NAME: props.remediationFunction.functionName,
        AUDIT_REGIONS: props.auditRegions,
        MAX_BACKUP_AGE_HOURS: props.policy.maxBackupAgeHours,
        EXEMPT_TABLES: props.policy.exemptTables,
        VERIFY_TABLE_IDENTITY: props.policy.verifyTableIdentity,
      },
    });
    this.function = fn.function;
    props.notifications.grantPublish(this.role);

    // Granted whether or not AutoRemediation is on, so toggling the parameter needs no IAM change.
    // The unqualified ARN only: the audit invokes the function by name, never a version or alias.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeRemediation',
        actions: ['lambda:InvokeFunction'],
        resources: [props.remediationFunction.functionArn],
      }),
    );

    // The dispatch invokes this function once per region. In the role's default policy this
    // statement would be a cycle (the function depends on that policy, the policy on the function's
    // ARN); a separate policy, which the function does not depend on, breaks it.
    const selfInvoke = new iam.Policy(this, 'SelfInvokePolicy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'DispatchRegionalAudits',
          actions: ['lambda:InvokeFunction'],
          resources: [this.function.functionArn],
        }),
      ],
    });

    // EventBridge Scheduler assumes this role for this account's default schedule group only.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      }),
      description: 'EventBridge Scheduler role that starts the DynamoDB backup audit',
    });
    acknowledgeWildcards(scheduleRole, {
      resource: `${this.function.functionArn}:*`,
      reason:
        'Added by the scheduler LambdaInvoke target (Function.grantInvoke): the qualified ARNs (versions and ' +
        'aliases) of the audit function only; the role can invoke no other function.',
    });

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts the DynamoDB backup audit (dispatch event)',
      schedule: scheduler.ScheduleExpression.expression(props.scheduleExpression),
      target: new targets.LambdaInvoke(this.function, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: props.failureQueue,
      }),
    });
    // The first scheduled run must be able to dispatch.
    this.schedule.node.addDependency(selfInvoke);
  }

  private addReadPermissions(stack: Stack): void {
    const anyVault = stack.formatArn({
      service: 'backup',
      region: '*',
      resource: 'backup-vault',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const anyTable = anyTableOf(stack);
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

    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListWithoutResourceScope',
        actions: [
          'dynamodb:ListTables',
          'dynamodb:ListBackups',
          'backup:ListBackupVaults',
          'backup:ListRecoveryPointsByResource',
          'tag:GetResources',
        ],
        resources: ['*'],
      }),
    );
    // Identity checks (VerifyTableIdentity) describe the tables that would pass; granted whatever the
    // parameter says, so switching it on needs no IAM change.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeTablesForIdentityChecks',
        actions: ['dynamodb:DescribeTable'],
        resources: [anyTable],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListVaultRecoveryPoints',
        actions: ['backup:ListRecoveryPointsByBackupVault'],
        resources: [anyVault],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListEnabledRegions',
        actions: ['account:ListRegions'],
        resources: [thisAccount, thisAccountInAnyOrganization],
      }),
    );

    acknowledgeWildcards(
      this.role,
      {
        resource: '*',
        reason:
          'dynamodb:ListTables, dynamodb:ListBackups, backup:ListBackupVaults, backup:ListRecoveryPointsByResource ' +
          'and tag:GetResources support no resource-level permissions (service authorization reference): the API ' +
          'accepts only "*". All five are read-only list calls.',
      },
      {
        resource: anyTable,
        reason:
          'dynamodb:DescribeTable (read-only) on the tables of this account: which tables exist, and in which ' +
          'audited region, is only known at run time.',
      },
      {
        resource: anyVault,
        reason:
          'The audit reads recovery points of every AWS Backup vault of this account in each audited region, ' +
          'which are only known at run time; the ARN is limited to this account and the action is read-only.',
      },
      {
        resource: thisAccountInAnyOrganization,
        reason:
          'account:ListRegions on this account when it is a member of an organization: the ARN names the ' +
          'management account and organization id, unknown here, and still ends with this account id.',
      },
    );
  }
}
