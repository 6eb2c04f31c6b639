import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FailureQueueProps {
  /**
   * How long a failed event stays in the queue for someone to inspect or replay it.
   * @default Duration.days(14), the SQS maximum
   */
  readonly retentionPeriod?: Duration;
}

/**
 * The queue that collects what failed for good: asynchronous invocations of either function after
 * all retries, and schedule deliveries EventBridge Scheduler could not make. An alarm watches it.
 */
export class FailureQueue extends Construct {
  public readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: FailureQueueProps = {}) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the Lambda functions and the schedule; ' +
        'a dead-letter queue of a dead-letter queue would add nothing, and an alarm fires on its first message.',
    });
  }
}
