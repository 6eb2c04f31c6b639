import { Aws, CfnCondition, CfnResource, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './nag';

export interface SlackChannelProps {
  /** Topic whose messages are posted to the channel. */
  readonly topic: sns.ITopic;
  /** Slack workspace (team) id, such as `T0123ABCD`. */
  readonly slackWorkspaceId: string;
  /** Slack channel id, such as `C0123ABCD`. */
  readonly slackChannelId: string;
  /**
   * Condition under which every resource of the channel exists (for ids from parameters that may
   * be empty).
   * @default - always created
   */
  readonly condition?: CfnCondition;
  /**
   * Name of the Chatbot configuration, unique in the account.
   * @default `<stack name>-<region>`
   */
  readonly configurationName?: string;
}

/**
 * An AWS Chatbot (Amazon Q Developer in chat applications) Slack channel subscribed to the topic.
 * The channel only receives notifications: its role, which is also its guardrail, can read alarm
 * and metric data so Chatbot can show alarm context, and nothing else.
 */
export class SlackChannel extends Construct {
  public readonly configuration: chatbot.CfnSlackChannelConfiguration;
  public readonly role: iam.Role;
  /** The only permissions of the channel role and the guardrail of every channel member. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: SlackChannelProps) {
    super(scope, id);

    this.policy = new iam.ManagedPolicy(this, 'ReadAlarmsPolicy', {
      description: 'Read-only CloudWatch alarm and metric access for the auditor Slack channel',
      statements: [
        new iam.PolicyStatement({
          actions: [
            'cloudwatch:DescribeAlarms',
            'cloudwatch:DescribeAlarmHistory',
            'cloudwatch:GetMetricData',
            'cloudwatch:GetMetricStatistics',
            'cloudwatch:GetMetricWidgetImage',
          ],
          resources: ['*'],
        }),
      ],
    });
    acknowledgeWildcards(this.policy, {
      resource: '*',
      reason:
        'CloudWatch GetMetricData, GetMetricStatistics and GetMetricWidgetImage support no resource-level ' +
        'permissions; the policy grants only these read actions, which Chatbot needs to render alarm context.',
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'AWS Chatbot role of the DynamoDB backup auditor Slack channel (notifications only)',
      managedPolicies: [this.policy],
    });

    this.configuration = new chatbot.CfnSlackChannelConfiguration(this, 'Configuration', {
      configurationName: props.configurationName ?? Fn.join('-', [Aws.STACK_NAME, Aws.REGION]),
      slackWorkspaceId: props.slackWorkspaceId,
      slackChannelId: props.slackChannelId,
      snsTopicArns: [props.topic.topicArn],
      iamRoleArn: this.role.roleArn,
      // Without guardrails Chatbot applies AdministratorAccess as the ceiling for channel members.
      guardrailPolicies: [this.policy.managedPolicyArn],
      loggingLevel: 'ERROR',
      userRoleRequired: false,
    });

    if (props.condition) {
      for (const resource of [this.policy, this.role, this.configuration]) {
        const cfn = resource instanceof CfnResource ? resource : (resource.node.defaultChild as CfnResource);
        cfn.cfnOptions.condition = props.condition;
      }
      // Ids from parameters with an empty default: CDK's built-in CloudFormation validator checks
      // that default against Chatbot's id pattern without evaluating the condition. It reports on
      // the configuration and, for the parameters, on the stack.
      const reason =
        'False positive: the Slack resources exist only under their condition, which requires both ids to be ' +
        'non-empty, so the empty parameter defaults never reach Chatbot (cfn-lint, which evaluates conditions, ' +
        'reports nothing).';
      Validations.of(this.configuration).acknowledge({ id: 'CloudFormation-Validate::W1030', reason });
      Validations.of(Stack.of(this)).acknowledge({ id: 'CloudFormation-Validate::W1030', reason });
    }
  }
}
