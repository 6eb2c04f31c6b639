/** Audit Lambda entry point: real clients, created once per cold start. */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { clientConfig, regionalClientFactory } from '../shared/clients';
import { AUDIT_SERVICE } from '../shared/observability';
import { accountClientFactory, MemberCredentials } from '../shared/org/member-credentials';
import { createAuditHandler } from './handler';

export const handler = createAuditHandler({
  sns: new SNSClient(clientConfig()),
  lambda: new LambdaClient(clientConfig()),
  sfn: new SFNClient(clientConfig()),
  // The reports bucket is in the stack's (the function's) region.
  s3: new S3Client(clientConfig()),
  clientsFor: regionalClientFactory(),
  // STS in the function's region (its regional endpoint), with the same retry policy as every client.
  memberCredentials: (access) => new MemberCredentials({ ...access, stsClientConfig: clientConfig() }),
  memberClientsFor: (credentials) => accountClientFactory(credentials),
  logger: new Logger({ serviceName: AUDIT_SERVICE }),
  metrics: new Metrics({ serviceName: AUDIT_SERVICE }),
});
