/** Audit Lambda entry point: real clients, created once per cold start. */
import { AccountClient } from '@aws-sdk/client-account';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { clientConfig, regionalClientFactory } from '../shared/clients';
import { AUDIT_SERVICE } from '../shared/observability';
import { createAuditHandler } from './handler';

export const handler = createAuditHandler({
  sns: new SNSClient(clientConfig()),
  lambda: new LambdaClient(clientConfig()),
  account: new AccountClient(clientConfig()),
  // The reports bucket is in the stack's (the function's) region.
  s3: new S3Client(clientConfig()),
  clientsFor: regionalClientFactory(),
  logger: new Logger({ serviceName: AUDIT_SERVICE }),
  metrics: new Metrics({ serviceName: AUDIT_SERVICE }),
});
