import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../lambda/shared/observability';
import { ATHENA_DATABASE, ATHENA_TABLE } from './reports-catalog';

/** `DynamoDbBackupAuditor-<stack region>`: one auditor stack per region, so one dashboard per region. */
export const DASHBOARD_NAME_PREFIX = 'DynamoDbBackupAuditor-';

export interface AuditorDashboardProps {
  /** Functions whose errors and throttles are shown, by the name shown in the legend. */
  readonly functions: Record<string, lambda.IFunction>;
  /** The queue of events that failed for good. */
  readonly failureQueue: sqs.IQueue;
  /** Service names (metric dimension) of the audit and remediation functions. */
  readonly auditService: string;
  readonly remediationService: string;
  /** Shown in the dashboard's header. @default - not shown */
  readonly reportBucketName?: string;
  /**
   * Time range shown when the dashboard opens.
   * @default Duration.days(30)
   */
  readonly defaultInterval?: Duration;
}

const DAY = Duration.days(1);
const HOUR = Duration.hours(1);
/** Each series of a SEARCH is labelled with its region (a dynamic label). */
const REGION_LABEL = "${PROP('Dim.region')}";

/**
 * The auditor's CloudWatch dashboard: tables by status per audited region over time, backups created,
 * report and Security Hub problems, function errors and throttles, and the failure queue's depth.
 * The audited regions are a stack parameter, unknown at synthesis, so every per-region graph is a
 * SEARCH over the `region` dimension: a region appears as soon as it publishes.
 */
export class AuditorDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: AuditorDashboardProps) {
    super(scope, id);
    const perRegion = (service: string, metricName: string, statistic: string, period: Duration) =>
      new cloudwatch.MathExpression({
        expression:
          `SEARCH('{${METRICS_NAMESPACE},region,service} service="${service}" ` +
          `MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
        usingMetrics: {},
        label: REGION_LABEL,
        period,
      });
    const graph = (
      title: string,
      metrics: cloudwatch.IMetric[],
      options: Partial<cloudwatch.GraphWidgetProps> = {},
    ) =>
      new cloudwatch.GraphWidget({
        title,
        left: metrics,
        width: 6,
        height: 6,
        leftYAxis: { min: 0, showUnits: false },
        ...options,
      });
    const audit = props.auditService;
    const tablesBy = (status: string, metricName: string) =>
      graph(`${status} tables per region (daily maximum)`, [perRegion(audit, metricName, 'Maximum', DAY)]);

    const functionMetrics = Object.entries(props.functions).flatMap(([name, fn]) => [
      fn.metricErrors({ label: `${name} errors`, period: HOUR, statistic: cloudwatch.Stats.SUM }),
      fn.metricThrottles({ label: `${name} throttles`, period: HOUR, statistic: cloudwatch.Stats.SUM }),
    ]);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${DASHBOARD_NAME_PREFIX}${Aws.REGION}`,
      defaultInterval: props.defaultInterval ?? Duration.days(30),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown: [
              '# DynamoDB backup auditor (rule DynamoDB-005)',
              'Every audited region publishes its counts after each audit; a region appears here after its first audit.',
              ...(props.reportBucketName
                ? [
                    `Reports: \`s3://${props.reportBucketName}/\` · Athena: database \`${ATHENA_DATABASE}\`, table \`${ATHENA_TABLE}\`.`,
                  ]
                : []),
            ].join('\n\n'),
            width: 24,
            height: 3,
          }),
        ],
        [
          tablesBy('NON_COMPLIANT', METRIC.nonCompliantTables),
          tablesBy('ERROR', METRIC.errorTables),
          tablesBy('EXEMPT', METRIC.exemptTables),
          tablesBy('COMPLIANT', METRIC.compliantTables),
        ],
        [
          graph('Tables audited per region (daily maximum)', [
            perRegion(audit, METRIC.tablesAudited, 'Maximum', DAY),
          ]),
          graph('Backups created per region (daily sum)', [
            perRegion(props.remediationService, METRIC.backupsCreated, 'Sum', DAY),
          ]),
          graph('Backups that could not be created per region (daily sum)', [
            perRegion(props.remediationService, METRIC.remediationFailed, 'Sum', DAY),
          ]),
          graph('Regions that could not be audited (daily sum)', [
            perRegion(audit, METRIC.regionAuditFailures, 'Sum', DAY),
          ]),
        ],
        [
          graph('Reports not written per region (daily sum)', [
            perRegion(audit, METRIC.reportWriteFailures, 'Sum', DAY),
          ]),
          graph('Findings Security Hub did not import per region (daily sum)', [
            perRegion(audit, METRIC.securityHubFailedFindings, 'Sum', DAY),
          ]),
          graph('Function errors and throttles (hourly sum)', functionMetrics),
          graph('Failure queue: events waiting (maximum)', [
            props.failureQueue.metricApproximateNumberOfMessagesVisible({
              label: 'failed events',
              period: Duration.minutes(5),
              statistic: cloudwatch.Stats.MAXIMUM,
            }),
          ]),
        ],
      ],
    });
  }
}
