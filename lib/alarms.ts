import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../lambda/shared/observability';

export interface AuditorAlarmsProps {
  /** Topic every alarm notifies (its policy must let CloudWatch publish for `alarmNamePrefix*`). */
  readonly topic: sns.ITopic;
  /** Functions whose errors and throttles are watched, by a short name used in the alarm name. */
  readonly functions: Record<string, lambda.IFunction>;
  /** Queue of invocations that failed for good; any message in it raises the alarm. */
  readonly failureQueue: sqs.IQueue;
  /** Prefix of every alarm name, such as `<stack name>-`. */
  readonly alarmNamePrefix: string;
  /**
   * Service name (metric dimension) of the function that counts regions it could not audit at all.
   * @default - no such alarm
   */
  readonly auditService?: string;
  /**
   * The run's state machine: an execution that fails (a step that failed past its retries) alarms.
   * @default - no such alarm
   */
  readonly stateMachine?: sfn.IStateMachine;
  /**
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * Makes failures visible: any error or throttle of a function, and any event in the failure
 * queue, notifies the topic. No data (an idle function) is not a failure.
 */
export class AuditorAlarms extends Construct {
  /** Alarms that notify the topic. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Regions the audit could not audit at all (no action: the audit alerted already). */
  public readonly regionAuditFailures?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AuditorAlarmsProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const action = new actions.SnsAction(props.topic);

    const atLeastOnce = (
      alarmId: string,
      nameSuffix: string,
      description: string,
      metric: cloudwatch.IMetric,
    ) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.alarmNamePrefix}${nameSuffix}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      const label = name.charAt(0).toUpperCase() + name.slice(1);
      atLeastOnce(
        `${label}Errors`,
        `${name}-errors`,
        `The ${name} Lambda function failed at least once in ${period.toHumanString()}.`,
        fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
      );
      atLeastOnce(
        `${label}Throttles`,
        `${name}-throttles`,
        `The ${name} Lambda function was throttled at least once in ${period.toHumanString()}.`,
        fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
      );
    }
    if (props.auditService !== undefined) {
      // No action: the audit already sent one readable alert for each such region; this alarm shows
      // the incident in CloudWatch (and on the dashboard) without sending the same news twice. Add an
      // action of your own (paging, a ticket) if you want one.
      this.regionAuditFailures = new cloudwatch.Alarm(this, 'RegionAuditFailures', {
        alarmName: `${props.alarmNamePrefix}region-audit-failures`,
        alarmDescription:
          'A region could not be audited (its tables could not be listed); the audit sent an alert with the reason.',
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: METRIC.regionAuditFailures,
          dimensionsMap: { service: props.auditService },
          period,
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    if (props.stateMachine) {
      atLeastOnce(
        'RunsFailed',
        'runs-failed',
        'A run (the state machine execution) failed: its plan or aggregation step failed; see the execution history.',
        props.stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
      );
    }
    atLeastOnce(
      'FailedEvents',
      'failed-events',
      'An audit or remediation event failed after all retries and is waiting in the failure queue.',
      props.failureQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    );
  }
}
