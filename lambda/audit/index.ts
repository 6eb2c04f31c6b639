/** Audit Lambda entry point: real clients, created once per cold start. */
import { AccountClient } from '@aws-sdk/client-account';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { regionalClientFactory } from '../shared/clients';
import { createAuditHandler } from './handler';

export const handler = createAuditHandler({
  sns: new SNSClient({}),
  lambda: new LambdaClient({}),
  account: new AccountClient({}),
  clientsFor: regionalClientFactory(),
  logger: new Logger({ serviceName: 'dynamodb-backup-audit' }),
  metrics: new Metrics({ serviceName: 'dynamodb-backup-audit' }),
});
