/** Run function entry point (plan and aggregate steps of the run's state machine): real clients, created once per cold start. */
import { AccountClient } from '@aws-sdk/client-account';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { clientConfig } from '../shared/clients';
import { RUN_SERVICE } from '../shared/run/service';
import { createRunHandler } from './handler';

export const handler = createRunHandler({
  s3: new S3Client(clientConfig()),
  sns: new SNSClient(clientConfig()),
  // Organizations is a global service: the SDK signs for its endpoint whatever the function's region.
  organizations: new OrganizationsClient(clientConfig()),
  account: new AccountClient(clientConfig()),
  logger: new Logger({ serviceName: RUN_SERVICE }),
});
