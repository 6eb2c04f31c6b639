import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DynamoDbBackupAuditorStack } from './auditor-stack';

export const STACK_NAME = 'DynamoDbBackupAuditor';

export interface AuditorApp {
  readonly app: App;
  readonly stack: DynamoDbBackupAuditorStack;
}

/**
 * Builds the CDK app: the one auditor stack, checked by cdk-nag's AwsSolutions pack on synthesis.
 * Shared by bin/app.ts and the tests, so both check the same app.
 *
 * The stack is environment-agnostic on purpose, whatever the CDK CLI resolved
 * (CDK_DEFAULT_ACCOUNT/REGION are set whenever credentials are configured): `cdk synth` prints one
 * plain template that deploys unchanged to any account, region and partition (CloudFormation
 * console, StackSets, pipelines), and `cdk deploy` deploys that same template to the account and
 * region of the credentials. Nothing in the stack needs a concrete environment (no lookups).
 * The stack also synthesizes with one (`new DynamoDbBackupAuditorStack(app, id, { env })`, for teams
 * that embed it in an app of their own); the tests cover both.
 */
export function buildApp(props: AppProps = {}): AuditorApp {
  const app = new App(props);
  const stack = new DynamoDbBackupAuditorStack(app, STACK_NAME);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
