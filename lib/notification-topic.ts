import { ArnFormat, Aws, CfnCondition, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** What a role publishing to an SSE-KMS topic needs on its key (SNS developer guide). */
const PUBLISHER_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
/** What an AWS service publishing to an SSE-KMS topic needs on its key, as AWS documents it. */
const SERVICE_KEY_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];
const CLOUDWATCH_PRINCIPAL = 'cloudwatch.amazonaws.com';

export interface NotificationTopicProps {
  /**
   * Prefix of the names of the CloudWatch alarms allowed to publish to the topic (their ARN is
   * checked with `aws:SourceArn`).
   * @default - no alarm may publish
   */
  readonly alarmNamePrefix?: string;
  /**
   * Address subscribed to the topic by email.
   * @default - no email subscription
   */
  readonly emailAddress?: string;
  /**
   * Condition under which the email subscription exists (for an address from a parameter that may
   * be empty).
   * @default - the subscription exists whenever `emailAddress` is set
   */
  readonly emailCondition?: CfnCondition;
}

/**
 * The SNS topic that carries audit findings, remediation summaries and alarms: encrypted with its
 * own rotating KMS key, TLS only, and writable only by the principals given `grantPublish` and by
 * this stack's CloudWatch alarms.
 */
export class NotificationTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;
  /** The email subscription, when `emailAddress` was given. */
  public readonly emailSubscription?: sns.CfnSubscription;
  private readonly publisherRoleArns: string[] = [];
  /** Allow the roles given `grantPublish`, deny every other IAM principal; added with the first role. */
  private readonly publishersTopicStatement: iam.PolicyStatement;
  private readonly publishersKeyStatement: iam.PolicyStatement;
  private readonly othersDenyStatement: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: NotificationTopicProps = {}) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the DynamoDB backup auditor notification topic',
      enableKeyRotation: true,
    });

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'DynamoDB backup auditor',
      masterKey: this.key,
      enforceSSL: true,
    });

    this.publishersTopicStatement = new iam.PolicyStatement({
      sid: 'AllowPublishByPublishers',
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
    });
    this.publishersKeyStatement = new iam.PolicyStatement({
      sid: 'AllowPublishersToUseKey',
      actions: PUBLISHER_KEY_ACTIONS,
      resources: ['*'],
    });
    // No IAM principal but the publishers may publish, whatever its identity policies say (the
    // data-perimeter pattern: AWS service principals are left to their own allow statements, and
    // only this stack's CloudWatch alarms have one).
    this.othersDenyStatement = new iam.PolicyStatement({
      sid: 'DenyPublishByOthers',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => this.publisherRoleArns }) },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    });

    if (props.alarmNamePrefix !== undefined) {
      this.allowAlarms(props.alarmNamePrefix);
    }

    if (props.emailAddress !== undefined) {
      this.emailSubscription = new sns.CfnSubscription(this, 'EmailSubscription', {
        topicArn: this.topic.topicArn,
        protocol: 'email',
        endpoint: props.emailAddress,
      });
      if (props.emailCondition) {
        this.emailSubscription.cfnOptions.condition = props.emailCondition;
      }
    }
  }

  /**
   * Lets a role publish: it joins the publishers allowed by the topic policy and the key policy
   * (and exempted from the deny for every other IAM principal, which the first call adds), and its
   * own policy gets the matching statements.
   */
  public grantPublish(role: iam.IRole): void {
    const principal = new iam.ArnPrincipal(role.roleArn);
    if (this.publisherRoleArns.length === 0) {
      this.topic.addToResourcePolicy(this.othersDenyStatement);
      this.topic.addToResourcePolicy(this.publishersTopicStatement);
      this.key.addToResourcePolicy(this.publishersKeyStatement);
    }
    this.publisherRoleArns.push(role.roleArn);
    this.publishersTopicStatement.addPrincipals(principal);
    this.publishersKeyStatement.addPrincipals(principal);

    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: PUBLISHER_KEY_ACTIONS, resources: [this.key.keyArn] }),
    );
  }

  /** CloudWatch may publish (and use the key) on behalf of this account's alarms named `prefix*`. */
  private allowAlarms(alarmNamePrefix: string): void {
    const conditions = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: {
        'aws:SourceArn': Stack.of(this).formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${alarmNamePrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const principal = new iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowPublishByAlarms',
        principals: [principal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsToUseKey',
        principals: [principal],
        actions: SERVICE_KEY_ACTIONS,
        resources: ['*'],
        conditions,
      }),
    );
  }
}
