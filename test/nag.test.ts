/**
 * cdk-nag AwsSolutions over the app as `cdk synth` and `cdk deploy` build it, and over the stack given
 * a concrete environment in each partition: a user with credentials (the CDK CLI then sets
 * CDK_DEFAULT_ACCOUNT/REGION) or an app that pins an account must synthesize as cleanly as the
 * offline, environment-agnostic path.
 */
import { App, Environment, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, STACK_NAME } from '../lib/app';
import { DynamoDbBackupAuditorStack } from '../lib/auditor-stack';
import cdkJson from '../cdk.json';

/** The feature flags of cdk.json, which the CDK CLI passes to the app (partition literals among them). */
const context = cdkJson.context;

function unacknowledged(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) =>
        `${violation.severity ?? 'error'} ${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}: ${violation.description}`,
    ),
  );
}

function withEnvironment(env: Environment): { app: App; stack: DynamoDbBackupAuditorStack } {
  const app = new App({ context });
  const stack = new DynamoDbBackupAuditorStack(app, STACK_NAME, { env });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

describe('the CDK app checked by cdk-nag AwsSolutions', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('has no unacknowledged violation when synthesized offline, without credentials', () => {
    delete process.env.CDK_DEFAULT_ACCOUNT;
    delete process.env.CDK_DEFAULT_REGION;
    const { app } = buildApp({ context });

    expect(unacknowledged(app)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  it('builds the same plain template when the CDK CLI resolved an account and region (cdk deploy)', () => {
    delete process.env.CDK_DEFAULT_ACCOUNT;
    delete process.env.CDK_DEFAULT_REGION;
    const offline = Template.fromStack(buildApp({ context }).stack).toJSON();
    process.env.CDK_DEFAULT_ACCOUNT = '111111111111';
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    const { app, stack } = buildApp({ context });

    expect(unacknowledged(app)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
    const deployed = Template.fromStack(stack).toJSON();
    expect(JSON.stringify(deployed)).not.toContain('111111111111');
    expect(deployed).toEqual(offline);
  });

  it.each([
    ['aws', { account: '111111111111', region: 'eu-west-1' }],
    ['aws-cn', { account: '222222222222', region: 'cn-north-1' }],
    ['aws-us-gov', { account: '333333333333', region: 'us-gov-west-1' }],
  ])(
    'has no unacknowledged violation in partition %s when the stack is given an environment',
    (partition, env) => {
      const { app, stack } = withEnvironment(env);

      expect(unacknowledged(app)).toEqual([]);
      expect(() => app.synth()).not.toThrow();
      // The acknowledgements matched concrete ARNs, not only the <AWS::AccountId> renderings.
      const template = JSON.stringify(Template.fromStack(stack).toJSON());
      expect(template).toContain(`"arn:${partition}:dynamodb:*:${env.account}:table/*"`);
    },
  );
});
