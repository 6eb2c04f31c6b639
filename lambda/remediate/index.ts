/** Remediation Lambda entry point: real clients, created once per cold start. */
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { regionalClientFactory } from '../shared/clients';
import { createRemediationHandler } from './handler';

const clientsFor = regionalClientFactory();

export const handler = createRemediationHandler({
  sns: new SNSClient({}),
  dynamodbFor: (region) => clientsFor(region).dynamodb,
  logger: new Logger({ serviceName: 'dynamodb-backup-remediate' }),
  metrics: new Metrics({ serviceName: 'dynamodb-backup-remediate' }),
});
