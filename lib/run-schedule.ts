import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface RunScheduleProps {
  /** The run's state machine: each scheduled time starts one execution with the input `{}`. */
  readonly stateMachine: sfn.IStateMachine;
  /** EventBridge Scheduler `rate(...)` or `cron(...)` expression (may be a parameter token). */
  readonly scheduleExpression: string;
  /** Where the schedule's undeliverable events go. */
  readonly failureQueue: sqs.IQueue;
}

/** The schedule that starts a run: EventBridge Scheduler, target the run's state machine. */
export class RunSchedule extends Construct {
  public readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: RunScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // EventBridge Scheduler assumes this role for this account's default schedule group only.
    const role = new iam.Role(this, 'Role', {
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
      description: 'EventBridge Scheduler role that starts the DynamoDB backup audit runs',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts a DynamoDB backup audit run (the run state machine, input {})',
      schedule: scheduler.ScheduleExpression.expression(props.scheduleExpression),
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: props.failureQueue,
      }),
    });
  }
}
