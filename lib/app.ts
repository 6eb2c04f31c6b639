import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DynamoDbBackupAuditorStack } from './auditor-stack';
import { MEMBER_ROLE_STACK_NAME, MemberRoleStack } from './member-role-stack';

export const STACK_NAME = 'DynamoDbBackupAuditor';

export interface AuditorApp {
  readonly app: App;
  readonly stack: DynamoDbBackupAuditorStack;
  readonly memberRoleStack: MemberRoleStack;
}

/**
 * Builds the CDK app: the auditor stack, and the member role alone (DynamoDbBackupAuditorMemberRole,
 * for teams that deploy it their own way), checked by cdk-nag's AwsSolutions pack on synthesis.
 * Shared by bin/app.ts and the tests, so both check the same app. With two stacks, `cdk deploy`
 * names the one it deploys (`npx cdk deploy DynamoDbBackupAuditor`).
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
  const memberRoleStack = new MemberRoleStack(app, MEMBER_ROLE_STACK_NAME);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, memberRoleStack };
}
