/** Remediation Lambda: `{ "tables": [{ "tableArn": ... }] }` → one on-demand backup per table. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { regionOfArn } from '../shared/arn';
import { clientConfig } from '../shared/clients';
import { optionalEnv, requireEnv } from '../shared/config';
import { accountIdFromContext } from '../shared/context';
import { DEFAULT_RATE_LIMITS } from '../shared/pacing';
import { publishRegionCounts } from '../shared/metrics';
import { parseAuditRegions } from '../shared/regions';
import { RemediationResponse, RemediationResult } from '../shared/types';
import { runRemediation } from './run';

const logger = new Logger({ serviceName: 'dynamodb-backup-remediate' });
const metrics = new Metrics({ serviceName: 'dynamodb-backup-remediate' });
const sns = new SNSClient({});
const dynamodbClients = new Map<string, DynamoDBClient>();
const dynamodbFor = (region: string): DynamoDBClient => {
  let client = dynamodbClients.get(region);
  if (!client) dynamodbClients.set(region, (client = new DynamoDBClient(clientConfig(region))));
  return client;
};

export const handler = async (event: unknown, context: Context): Promise<RemediationResponse> => {
  logger.addContext(context);
  const topicArn = requireEnv('TOPIC_ARN');
  const homeRegion = requireEnv('AWS_REGION');
  const auditRegions = parseAuditRegions(optionalEnv('AUDIT_REGIONS'));
  const accountId = accountIdFromContext(context);
  const response = await runRemediation(
    { sns, topicArn, dynamodbFor, logger, rates: DEFAULT_RATE_LIMITS },
    { accountId, homeRegion, auditRegions },
    event,
  );
  for (const [region, results] of groupByRegion(response.results)) {
    publishRegionCounts(metrics, region, {
      BackupsCreated: results.filter((r) => r.status === 'CREATED').length,
      RemediationSkipped: results.filter((r) => r.status === 'SKIPPED').length,
      RemediationFailed: results.filter((r) => r.status === 'FAILED' || r.status === 'REJECTED').length,
    });
  }
  logger.info('Remediation finished', {
    results: response.results.length,
    created: response.results.filter((r) => r.status === 'CREATED').length,
    failed: response.results.filter((r) => r.status === 'FAILED').length,
  });
  return response;
};

function groupByRegion(results: RemediationResult[]): Map<string, RemediationResult[]> {
  const groups = new Map<string, RemediationResult[]>();
  for (const result of results) {
    const region = regionOfArn(result.tableArn) ?? 'invalid';
    groups.set(region, [...(groups.get(region) ?? []), result]);
  }
  return groups;
}
