import { ArnFormat, Aws, CfnOutput, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AUDIT_SERVICE, REMEDIATION_SERVICE } from '../lambda/shared/observability';
import { AuditorAlarms } from './alarms';
import { AuditFunction } from './audit-function';
import { AuditRun } from './audit-run';
import { AuditorDashboard } from './dashboard';
import { MemberRoleStackSet } from './member-role-stackset';
import { addOrganizationParameters } from './organization-parameters';
import { RunFunction } from './run-function';
import { RunSchedule } from './run-schedule';
import { FailureQueue } from './failure-queue';
import { NotificationTopic } from './notification-topic';
import { addAuditorParameters } from './parameters';
import { RemediationFunction } from './remediation-function';
import { addReportParameters } from './report-parameters';
import { ReportsBucket } from './reports-bucket';
import { ReportsCatalog } from './reports-catalog';
import { grantSecurityHubFindings } from './security-hub-access';
import { SlackChannel } from './slack-channel';

/**
 * The DynamoDB backup auditor (rule DynamoDB-005), deployed once in a home region: a scheduled
 * audit Lambda that checks every table of the audited regions for a usable backup, an optional
 * remediation Lambda, and a KMS-encrypted SNS topic for findings and alarms (email, Slack).
 */
export class DynamoDbBackupAuditorStack extends Stack {
  public readonly topicArn: string;
  public readonly auditFunctionName: string;
  public readonly remediationFunctionName: string;
  public readonly reportBucketName: string;
  public readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description: 'DynamoDB backup auditor: reports DynamoDB tables without a usable backup (DynamoDB-005)',
      ...props,
    });

    const params = addAuditorParameters(this);
    const reportParams = addReportParameters(this);
    const orgParams = addOrganizationParameters(this);
    // The run's state machine has a fixed name, so the audit function (in its definition) gets its ARN
    // without a reference back to it.
    const stateMachineName = Fn.join('-', [Aws.STACK_NAME, 'audit-run']);
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const alarmNamePrefix = `${Aws.STACK_NAME}-`;

    const notifications = new NotificationTopic(this, 'Notifications', {
      alarmNamePrefix,
      emailAddress: params.notificationEmail.valueAsString,
      emailCondition: params.hasNotificationEmail,
    });
    const failures = new FailureQueue(this, 'FailedEvents');

    const remediation = new RemediationFunction(this, 'Remediation', {
      notifications,
      failureQueue: failures.queue,
      auditRegions: params.auditRegions.valueAsString,
      permittedRegions: params.auditedRegionPatterns,
      auditAccounts: orgParams.auditAccounts.valueAsString,
      memberRoleName: orgParams.memberRoleName.valueAsString,
    });
    const audit = new AuditFunction(this, 'Audit', {
      notifications,
      failureQueue: failures.queue,
      remediationFunction: remediation.function,
      autoRemediation: params.autoRemediation.valueAsString,
      auditRegions: params.auditRegions.valueAsString,
      stateMachineArn,
      auditAccounts: orgParams.auditAccounts.valueAsString,
      memberRoleName: orgParams.memberRoleName.valueAsString,
      policy: {
        maxBackupAgeHours: params.maxBackupAgeHours.valueAsString,
        exemptTables: params.exemptTables.valueAsString,
        verifyTableIdentity: params.verifyTableIdentity.valueAsString,
      },
    });

    const reports = new ReportsBucket(this, 'Reports', {
      retentionDays: reportParams.reportRetentionDays.valueAsNumber,
    });
    new ReportsCatalog(this, 'ReportsCatalog', {
      bucket: reports.bucket,
      retentionDays: reportParams.reportRetentionDays.valueAsNumber,
    });
    reports.grantWriteReports(audit.role);
    grantSecurityHubFindings(audit.role, params.auditedRegionPatterns);
    audit.function.addEnvironment('REPORT_BUCKET', reports.bucket.bucketName);
    audit.function.addEnvironment('SECURITY_HUB_FINDINGS', reportParams.securityHubFindings.valueAsString);

    // One scheduled run: plan (accounts × regions), a Distributed Map of audits, one aggregate.
    const runFunction = new RunFunction(this, 'Run', {
      notifications,
      failureQueue: failures.queue,
      reportsBucket: reports.bucket,
      auditAccounts: orgParams.auditAccounts.valueAsString,
      auditRegions: params.auditRegions.valueAsString,
    });
    const run = new AuditRun(this, 'AuditRun', {
      auditFunction: audit.function,
      runFunction: runFunction.function,
      reportsBucket: reports.bucket,
      maxConcurrentAudits: orgParams.maxConcurrentAudits.valueAsNumber,
      stateMachineName,
    });
    const schedule = new RunSchedule(this, 'RunSchedule', {
      stateMachine: run.stateMachine,
      scheduleExpression: params.scheduleExpression.valueAsString,
      failureQueue: failures.queue,
    });
    // The first scheduled run must find the state machine and every permission it needs.
    schedule.node.addDependency(run.readyToStart);

    // The member role in every account of the given OUs (service-managed StackSet).
    new MemberRoleStackSet(this, 'MemberRoles', {
      organizationalUnitIds: Fn.split(',', orgParams.memberOrganizationalUnitIds.valueAsString),
      trustedRoleArns: [audit.role.roleArn, remediation.role.roleArn],
      memberRoleName: orgParams.memberRoleName.valueAsString,
      condition: orgParams.hasMemberOrganizationalUnits,
      callAs: orgParams.memberStackSetCallAs.valueAsString,
      organizationId: orgParams.organizationId.valueAsString,
    });

    new SlackChannel(this, 'Slack', {
      topic: notifications.topic,
      slackWorkspaceId: params.slackWorkspaceId.valueAsString,
      slackChannelId: params.slackChannelId.valueAsString,
      condition: params.hasSlack,
    });

    new AuditorAlarms(this, 'Alarms', {
      topic: notifications.topic,
      functions: { audit: audit.function, remediation: remediation.function, run: runFunction.function },
      failureQueue: failures.queue,
      alarmNamePrefix,
      auditService: AUDIT_SERVICE,
      stateMachine: run.stateMachine,
    });

    const dashboard = new AuditorDashboard(this, 'Dashboard', {
      functions: { audit: audit.function, remediation: remediation.function, run: runFunction.function },
      failureQueue: failures.queue,
      auditService: AUDIT_SERVICE,
      remediationService: REMEDIATION_SERVICE,
      reportBucketName: reports.bucket.bucketName,
    });

    this.topicArn = notifications.topic.topicArn;
    this.auditFunctionName = audit.function.functionName;
    this.remediationFunctionName = remediation.function.functionName;
    new CfnOutput(this, 'TopicArn', {
      description: 'SNS topic of findings, remediation summaries and alarms',
      value: this.topicArn,
    });
    new CfnOutput(this, 'AuditFunctionName', {
      description:
        'Audit Lambda: invoke with {} to start a run now, or {"region":"eu-west-1"} (and "accountId") for one region',
      value: this.auditFunctionName,
    });
    new CfnOutput(this, 'StateMachineArn', {
      description: 'The run state machine (plan, one audit per account and region, aggregate)',
      value: run.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'AuditRoleArn', {
      description: 'Audit role: the member role (stack DynamoDbBackupAuditorMemberRole) must trust it',
      value: audit.role.roleArn,
    });
    new CfnOutput(this, 'RemediationRoleArn', {
      description: 'Remediation role: the member role (stack DynamoDbBackupAuditorMemberRole) must trust it',
      value: remediation.role.roleArn,
    });
    new CfnOutput(this, 'RemediationFunctionName', {
      description: 'Remediation Lambda: {"tables":[{"tableArn":"..."}]}',
      value: this.remediationFunctionName,
    });
    this.reportBucketName = reports.bucket.bucketName;
    this.dashboardName = dashboard.dashboard.dashboardName;
    new CfnOutput(this, 'ReportBucketName', {
      description:
        'Bucket of every audit report (reports/) and finding (findings/, the Athena table findings)',
      value: this.reportBucketName,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard of the audits',
      value: this.dashboardName,
    });
  }
}
