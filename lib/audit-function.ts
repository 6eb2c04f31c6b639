import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AuditorFunction, LAMBDA_SOURCE_DIR } from './lambda-defaults';
import { anyTableOf } from './arns';
import { anyVaultOf, grantAuditListing } from './audit-read-access';
import { grantAssumeMemberRoles } from './member-access';
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
  /** The run's state machine, started by a `{}` event (a formatted ARN, not a reference: no cycle). */
  readonly stateMachineArn: string;
  /** AuditAccounts (may be a parameter token). */
  readonly auditAccounts: string;
  /** MemberRoleName: the role assumed in member accounts (may be a parameter token). */
  readonly memberRoleName: string;
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
 * The audit Lambda. The run's state machine invokes it once per account × region; each audit lists
 * tables and backups (in a member account through its member role), writes the report, publishes
 * the findings and hands NON_COMPLIANT tables to remediation when enabled. A `{}` event starts a run.
 */
export class AuditFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;

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
        AUDIT_ACCOUNTS: props.auditAccounts,
        MEMBER_ROLE_NAME: props.memberRoleName,
        STATE_MACHINE_ARN: props.stateMachineArn,
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

    // `{}` (a person's manual run) starts the run's state machine.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StartRuns',
        actions: ['states:StartExecution'],
        resources: [props.stateMachineArn],
      }),
    );
    grantAssumeMemberRoles(this.role, props.memberRoleName);
  }

  private addReadPermissions(stack: Stack): void {
    const anyVault = anyVaultOf(stack);
    const anyTable = anyTableOf(stack);

    grantAuditListing(this.role, stack);
    // Identity checks (VerifyTableIdentity) describe the tables that would pass; granted whatever the
    // parameter says, so switching it on needs no IAM change.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeTablesForIdentityChecks',
        actions: ['dynamodb:DescribeTable'],
        resources: [anyTable],
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
    );
  }
}
