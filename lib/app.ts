import { App, AppProps, Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DynamoDbBackupAuditorStack } from './auditor-stack';

export const STACK_NAME = 'DynamoDbBackupAuditor';

export interface AuditorApp {
  readonly app: App;
  readonly stack: DynamoDbBackupAuditorStack;
}

/**
 * The account and region the CLI resolved, when both are known; otherwise the stack stays
 * environment-agnostic (deployable to any account and region as a plain template).
 */
function environmentFrom(env: NodeJS.ProcessEnv): Environment | undefined {
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  return account && region ? { account, region } : undefined;
}

/**
 * Builds the CDK app: the one auditor stack, checked by cdk-nag's AwsSolutions pack on synthesis.
 * Shared by bin/app.ts and the tests, so both check the same app.
 */
export function buildApp(props: AppProps = {}, env: NodeJS.ProcessEnv = process.env): AuditorApp {
  const app = new App(props);
  const stack = new DynamoDbBackupAuditorStack(app, STACK_NAME, { env: environmentFrom(env) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
