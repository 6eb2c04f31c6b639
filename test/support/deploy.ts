/**
 * What `cdk deploy` sets up, wired to a simulated account or organization: the audit, remediation
 * and run functions, built from their real handlers and registered in the (management) account,
 * with the environment the stack gives them and clients attached to the simulation.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAuditHandler } from '../../lambda/audit/handler';
import { createRemediationHandler } from '../../lambda/remediate/handler';
import { createRunHandler } from '../../lambda/run/handler';
import { regionalClientFactory } from '../../lambda/shared/clients';
import { accountClientFactory, MemberCredentials } from '../../lambda/shared/org/member-credentials';
import { RateLimits } from '../../lambda/shared/pacing';
import { SCENARIO_TOPIC_NAME, SIM_CREDENTIALS, SimulatedAccount, SimulatedOrganization } from '../../sim';
import { driveRun } from './run-driver';

export const REPORT_BUCKET = 'auditor-reports';
export const MEMBER_ROLE = 'DynamoDbBackupAuditorMember';

export interface DeployOptions {
  home: string;
  /** AuditRegions. */
  auditRegions: string;
  autoRemediation: boolean;
  /** AuditAccounts. @default '' (this account) */
  auditAccounts?: string;
  securityHubFindings?: boolean;
  rates?: RateLimits;
}

export interface Deployment {
  lambda: LambdaClient;
  s3: S3Client;
  topicArn: string;
  /** Runs the state machine once, as the schedule starts it, then waits for every invocation. */
  scheduledRun(maxConcurrency?: number): ReturnType<typeof driveRun>;
}

export function deploy(target: SimulatedAccount | SimulatedOrganization, options: DeployOptions): Deployment {
  const management = target instanceof SimulatedOrganization ? target.management : target;
  const { home } = options;
  const topicArn = management.addTopic(home, SCENARIO_TOPIC_NAME);
  management.addBucket(home, REPORT_BUCKET);
  Object.assign(process.env, {
    TOPIC_ARN: topicArn,
    AUTO_REMEDIATION: String(options.autoRemediation),
    REMEDIATION_FUNCTION_NAME: 'remediate-fn',
    AUDIT_REGIONS: options.auditRegions,
    AUDIT_ACCOUNTS: options.auditAccounts ?? '',
    MEMBER_ROLE_NAME: MEMBER_ROLE,
    STATE_MACHINE_ARN: `arn:aws:states:${home}:${management.accountId}:stateMachine:auditor-run`,
    AWS_REGION: home,
    REPORT_BUCKET,
    SECURITY_HUB_FINDINGS: String(options.securityHubFindings ?? false),
    MAX_BACKUP_AGE_HOURS: '0',
    EXEMPT_TABLES: '',
    VERIFY_TABLE_IDENTITY: 'false',
  });
  const attach = <C extends Parameters<SimulatedAccount['attach']>[0]>(client: C) => target.attach(client);
  const client = <C extends Parameters<SimulatedAccount['attach']>[0], Config extends object>(
    ctor: new (config: Config) => C,
  ) => attach(new ctor({ region: home, credentials: SIM_CREDENTIALS } as unknown as Config));
  const clientsFor = regionalClientFactory({ credentials: SIM_CREDENTIALS, maxAttempts: 5 }, attach);
  const memberCredentials = (access: ConstructorParameters<typeof MemberCredentials>[0]) =>
    new MemberCredentials({
      ...access,
      stsClientConfig: { region: home, credentials: SIM_CREDENTIALS },
      ...(target instanceof SimulatedOrganization
        ? { stsClientPlugins: [target.pluginForRegion(home)] }
        : {}),
    });
  const memberClientsFor = (credentials: MemberCredentials) =>
    accountClientFactory(credentials, { credentials: SIM_CREDENTIALS, maxAttempts: 5 }, attach);
  const sns = client(SNSClient);
  const lambda = client(LambdaClient);
  const s3 = client(S3Client);

  management.registerFunction(
    'audit-fn',
    createAuditHandler({
      sns,
      lambda,
      sfn: client(SFNClient), // not modelled: runs are driven by driveRun, as the state machine would
      s3,
      clientsFor,
      memberCredentials,
      memberClientsFor,
      logger: new Logger({ serviceName: 'audit', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'Test', serviceName: 'audit' }),
      ...(options.rates ? { rates: options.rates } : {}),
    }),
  );
  management.registerFunction(
    'remediate-fn',
    createRemediationHandler({
      sns,
      dynamodbFor: (region) => clientsFor(region).dynamodb,
      memberCredentials,
      memberClientsFor,
      logger: new Logger({ serviceName: 'remediate', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'Test', serviceName: 'remediate' }),
    }),
  );
  management.registerFunction(
    'run-fn',
    createRunHandler({
      s3,
      sns,
      organizations: client(OrganizationsClient),
      account: new AccountClient({ region: home }), // not called: AuditRegions is a list
      logger: new Logger({ serviceName: 'run', logLevel: 'SILENT' }),
    }),
  );
  return {
    lambda,
    s3,
    topicArn,
    async scheduledRun(maxConcurrency) {
      const run = await driveRun({
        lambda,
        s3,
        runFunction: 'run-fn',
        auditFunction: 'audit-fn',
        ...(maxConcurrency ? { maxConcurrency } : {}),
      });
      await management.drain();
      return run;
    },
  };
}
