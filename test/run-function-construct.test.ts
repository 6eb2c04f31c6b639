/**
 * The run function's construct (lib/run-function.ts) on a small test stack with the real topic and
 * failure queue and a KMS-encrypted stand-in bucket: its environment and the least privilege of its
 * role (accounts, regions, runs/ of the bucket, the topic), and cdk-nag.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FailureQueue } from '../lib/failure-queue';
import { NotificationTopic } from '../lib/notification-topic';
import { RunFunction } from '../lib/run-function';
import { RUN_SERVICE } from '../lambda/shared/run/service';

type Json = Record<string, unknown>;
const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe('RunFunction', () => {
  const app = new App();
  const stack = new Stack(app, 'RunFunctionTest');
  const key = new kms.Key(stack, 'ReportsKey', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Reports', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const notifications = new NotificationTopic(stack, 'Notifications');
  const run = new RunFunction(stack, 'Run', {
    notifications,
    failureQueue: new FailureQueue(stack, 'Failures').queue,
    reportsBucket: bucket,
    auditAccounts: 'ORGANIZATION',
    auditRegions: 'ALL',
  });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
  const roleId = stack.getLogicalId(run.role.node.defaultChild as import('aws-cdk-lib/aws-iam').CfnRole);
  const statements = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Json[] }).Statement);
  const resourcesOf = (action: string) =>
    statements
      .filter((s) => list(s.Action as string | string[]).includes(action))
      .flatMap((s) => list(s.Resource));
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);

  it('runs lambda/run with the bucket, topic and settings it needs', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 900,
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: RUN_SERVICE,
          REPORT_BUCKET: { Ref: bucketId },
          AUDIT_ACCOUNTS: 'ORGANIZATION',
          AUDIT_REGIONS: 'ALL',
          TOPIC_ARN: {
            Ref: stack.getLogicalId(
              notifications.topic.node.defaultChild as import('aws-cdk-lib/aws-sns').CfnTopic,
            ),
          },
        },
      },
    });
  });

  it('reads and writes only runs/ of the reports bucket, with its key, and deletes nothing', () => {
    const runFiles = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/runs/*']] };

    expect(resourcesOf('s3:GetObject')).toEqual([runFiles]);
    expect(resourcesOf('s3:PutObject')).toEqual([runFiles]);
    expect(resourcesOf('kms:GenerateDataKey')).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      ]),
    );
    const actions = statements.flatMap((s) => list(s.Action as string | string[]));
    expect(actions.filter((a) => /Delete/.test(a))).toEqual([]);
  });

  it("lists the organization's accounts and this account's regions, and publishes to the topic", () => {
    expect(resourcesOf('organizations:ListAccounts')).toEqual(['*']);
    expect(resourcesOf('account:ListRegions')).toHaveLength(2);
    expect(resourcesOf('sns:Publish')).toHaveLength(1);
    const actions = new Set(statements.flatMap((s) => list(s.Action as string | string[])));
    // sqs: the failure queue as its asynchronous on-failure destination (AuditorFunction's defaults).
    expect(
      [...actions].filter(
        (a) => !/^(s3:|kms:|sns:|logs:|sqs:|organizations:ListAccounts$|account:ListRegions$)/.test(a),
      ),
    ).toEqual([]);
  });

  it('has no cdk-nag AwsSolutions violation under the construct', () => {
    const violations = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((v) =>
        v.violatingResources
          .filter((r) => (r.constructPath ?? '').includes('/Run/'))
          .map((r) => `${v.ruleName} at ${r.constructPath}`),
      );

    expect(violations).toEqual([]);
  });
});
