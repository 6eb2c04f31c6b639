/** Remediation Lambda entry point: real clients, created once per cold start. */
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { clientConfig, regionalClientFactory } from '../shared/clients';
import { REMEDIATION_SERVICE } from '../shared/observability';
import { accountClientFactory, MemberCredentials } from '../shared/org/member-credentials';
import { createRemediationHandler } from './handler';

const clientsFor = regionalClientFactory();

export const handler = createRemediationHandler({
  sns: new SNSClient(clientConfig()),
  dynamodbFor: (region) => clientsFor(region).dynamodb,
  memberCredentials: (access) => new MemberCredentials({ ...access, stsClientConfig: clientConfig() }),
  memberClientsFor: (credentials) => accountClientFactory(credentials),
  logger: new Logger({ serviceName: REMEDIATION_SERVICE }),
  metrics: new Metrics({ serviceName: REMEDIATION_SERVICE }),
});
