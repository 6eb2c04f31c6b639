import { Aws, CfnCondition, CfnParameter, Fn, Stack, Token } from 'aws-cdk-lib';
import { MAX_BACKUP_AGE_HOURS } from '../lambda/shared/policy/audit-policy';

/** One AWS region name, such as `us-east-1` or `ap-southeast-2`. */
const REGION = '[a-z]{2,4}(-[a-z]+)+-\\d{1,2}';

/**
 * AllowedPattern values. CloudFormation matches a pattern against the whole value, so none is
 * anchored; each accepts the empty string where the parameter's default is empty.
 */
export const PARAMETER_PATTERNS = {
  notificationEmail: '([^\\s@]+@[^\\s@]+\\.[^\\s@]+)?',
  scheduleExpression:
    'rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)|cron\\([^()\\s]+( [^()\\s]+){5}\\)',
  auditRegions: `(ALL|${REGION}(,${REGION})*)?`,
  slackWorkspaceId: '([0-9A-Z]{1,255})?',
  slackChannelId: '([A-Za-z0-9]{1,255})?',
  exemptTables: '([A-Za-z0-9_.*-]{1,255}(,[A-Za-z0-9_.*-]{1,255})*)?',
} as const;

/** The stack's CloudFormation parameters (the contract of docs/design.md) and the conditions derived from them. */
export interface AuditorParameters {
  readonly autoRemediation: CfnParameter;
  readonly notificationEmail: CfnParameter;
  readonly scheduleExpression: CfnParameter;
  readonly auditRegions: CfnParameter;
  readonly slackWorkspaceId: CfnParameter;
  readonly slackChannelId: CfnParameter;
  readonly maxBackupAgeHours: CfnParameter;
  readonly exemptTables: CfnParameter;
  readonly verifyTableIdentity: CfnParameter;
  /** NotificationEmail is not empty. */
  readonly hasNotificationEmail: CfnCondition;
  /** Both SlackWorkspaceId and SlackChannelId are set. */
  readonly hasSlack: CfnCondition;
  /**
   * The audited regions as an IAM condition value for `StringLike` on `aws:RequestedRegion`: the
   * stack's region (AuditRegions empty), `*` (ALL), or the listed regions.
   */
  readonly auditedRegionPatterns: string[];
}

/**
 * Declares the parameters, their console grouping (`AWS::CloudFormation::Interface`) and the
 * conditions on the stack itself, so their logical ids are exactly the contract's names.
 */
export function addAuditorParameters(stack: Stack): AuditorParameters {
  const autoRemediation = new CfnParameter(stack, 'AutoRemediation', {
    type: 'String',
    default: 'false',
    allowedValues: ['true', 'false'],
    description:
      'true: the audit invokes the remediation Lambda, which creates an on-demand backup of each NON_COMPLIANT table.',
    constraintDescription: 'must be true or false',
  });
  const notificationEmail = new CfnParameter(stack, 'NotificationEmail', {
    type: 'String',
    default: '',
    allowedPattern: PARAMETER_PATTERNS.notificationEmail,
    description:
      'Email address subscribed to the findings topic (confirm the subscription email). Empty: none.',
    constraintDescription: 'must be empty or an email address such as ops@example.com',
  });
  const scheduleExpression = new CfnParameter(stack, 'ScheduleExpression', {
    type: 'String',
    default: 'rate(1 day)',
    allowedPattern: PARAMETER_PATTERNS.scheduleExpression,
    description:
      'How often the audit runs: an EventBridge Scheduler rate(...) or cron(...) expression (UTC).',
    constraintDescription: 'must be rate(<n> <minute(s)|hour(s)|day(s)>) or cron(<6 fields>)',
  });
  const auditRegions = new CfnParameter(stack, 'AuditRegions', {
    type: 'String',
    default: '',
    allowedPattern: PARAMETER_PATTERNS.auditRegions,
    description:
      "Regions to audit: empty for this stack's region, ALL for every region enabled for the account, " +
      'or a comma-separated list such as us-east-1,eu-west-1.',
    constraintDescription: 'must be empty, ALL, or region names separated by commas without spaces',
  });
  const slackWorkspaceId = new CfnParameter(stack, 'SlackWorkspaceId', {
    type: 'String',
    default: '',
    allowedPattern: PARAMETER_PATTERNS.slackWorkspaceId,
    description:
      'Slack workspace id (such as T0123ABCD) already authorized in AWS Chatbot. With SlackChannelId, posts findings to Slack.',
    constraintDescription: 'must be empty or a Slack workspace id of upper-case letters and digits',
  });
  const slackChannelId = new CfnParameter(stack, 'SlackChannelId', {
    type: 'String',
    default: '',
    allowedPattern: PARAMETER_PATTERNS.slackChannelId,
    description: 'Slack channel id (such as C0123ABCD). With SlackWorkspaceId, posts findings to Slack.',
    constraintDescription: 'must be empty or a Slack channel id of letters and digits',
  });

  const maxBackupAgeHours = new CfnParameter(stack, 'MaxBackupAgeHours', {
    type: 'Number',
    default: 0,
    minValue: 0,
    maxValue: MAX_BACKUP_AGE_HOURS,
    description:
      'The newest usable backup of a table, native or AWS Backup, must be at most this many hours old. 0: any age (the rule as written).',
    constraintDescription: `must be a whole number of hours from 0 to ${MAX_BACKUP_AGE_HOURS}`,
  });
  const exemptTables = new CfnParameter(stack, 'ExemptTables', {
    type: 'String',
    default: '',
    allowedPattern: PARAMETER_PATTERNS.exemptTables,
    description:
      'Tables exempt from the rule (no end date): names and * globs, comma-separated, such as dev-*,scratch. ' +
      'Tables tagged dynamodb-005:exempt-reason are exempt too.',
    constraintDescription: 'must be empty or table names and * globs separated by commas without spaces',
  });
  const verifyTableIdentity = new CfnParameter(stack, 'VerifyTableIdentity', {
    type: 'String',
    default: 'false',
    allowedValues: ['true', 'false'],
    description:
      'true: a backup counts only if it was made of the table that exists now, not of an earlier table of the same name ' +
      '(one DescribeTable per table that would pass).',
    constraintDescription: 'must be true or false',
  });

  stack.templateOptions.metadata = {
    ...stack.templateOptions.metadata,
    'AWS::CloudFormation::Interface': {
      ParameterGroups: [
        {
          Label: { default: 'Audit' },
          Parameters: [auditRegions.logicalId, scheduleExpression.logicalId, autoRemediation.logicalId],
        },
        {
          Label: { default: 'Notifications' },
          Parameters: [notificationEmail.logicalId, slackWorkspaceId.logicalId, slackChannelId.logicalId],
        },
        {
          Label: { default: 'Policy' },
          Parameters: [maxBackupAgeHours.logicalId, exemptTables.logicalId, verifyTableIdentity.logicalId],
        },
      ],
      ParameterLabels: {
        [auditRegions.logicalId]: { default: 'Regions to audit' },
        [scheduleExpression.logicalId]: { default: 'Audit schedule' },
        [autoRemediation.logicalId]: { default: 'Create missing backups automatically' },
        [notificationEmail.logicalId]: { default: 'Notification email' },
        [slackWorkspaceId.logicalId]: { default: 'Slack workspace id' },
        [slackChannelId.logicalId]: { default: 'Slack channel id' },
        [maxBackupAgeHours.logicalId]: { default: 'Maximum backup age (hours)' },
        [exemptTables.logicalId]: { default: 'Exempt tables' },
        [verifyTableIdentity.logicalId]: { default: 'Check that backups belong to the current table' },
      },
    },
  };

  const notEmpty = (parameter: CfnParameter) =>
    Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, ''));
  const hasNotificationEmail = new CfnCondition(stack, 'HasNotificationEmail', {
    expression: notEmpty(notificationEmail),
  });
  const hasSlack = new CfnCondition(stack, 'HasSlack', {
    expression: Fn.conditionAnd(notEmpty(slackWorkspaceId), notEmpty(slackChannelId)),
  });

  const auditsHomeRegion = new CfnCondition(stack, 'AuditsHomeRegion', {
    expression: Fn.conditionEquals(auditRegions.valueAsString, ''),
  });
  const auditsAllRegions = new CfnCondition(stack, 'AuditsAllRegions', {
    expression: Fn.conditionEquals(auditRegions.valueAsString, 'ALL'),
  });
  const auditedRegionPatterns = Token.asList(
    Fn.conditionIf(
      auditsHomeRegion.logicalId,
      [Aws.REGION],
      Fn.conditionIf(auditsAllRegions.logicalId, ['*'], Fn.split(',', auditRegions.valueAsString)),
    ),
  );

  return {
    autoRemediation,
    notificationEmail,
    scheduleExpression,
    auditRegions,
    slackWorkspaceId,
    slackChannelId,
    maxBackupAgeHours,
    exemptTables,
    verifyTableIdentity,
    hasNotificationEmail,
    hasSlack,
    auditedRegionPatterns,
  };
}
