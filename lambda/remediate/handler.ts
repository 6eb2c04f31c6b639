/** The remediation handler: `{ "tables": [{ "tableArn": ... }] }` → one on-demand backup per table. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { regionOfArn } from '../shared/arn';
import { optionalEnv, requireEnv } from '../shared/config';
import { accountIdFromContext } from '../shared/context';
import { DEFAULT_RATE_LIMITS, RateLimits } from '../shared/pacing';
import { publishRegionCounts } from '../shared/metrics';
import { METRIC } from '../shared/observability';
import { parseAuditRegions } from '../shared/regions';
import { RemediationResponse, RemediationResult } from '../shared/types';
import { runRemediation } from './run';

export interface RemediationHandlerDeps {
  sns: SNSClient;
  dynamodbFor: (region: string) => DynamoDBClient;
  logger: Logger;
  metrics: Metrics;
  /** @default DEFAULT_RATE_LIMITS */
  rates?: RateLimits;
}

export type RemediationHandler = (event: unknown, context: Context) => Promise<RemediationResponse>;

/** The handler over its dependencies: index.ts passes real clients, end-to-end tests simulated ones. */
export const createRemediationHandler =
  (deps: RemediationHandlerDeps): RemediationHandler =>
  async (event, context) => {
    const { sns, dynamodbFor, logger, metrics } = deps;
    logger.addContext(context);
    const topicArn = requireEnv('TOPIC_ARN');
    const homeRegion = requireEnv('AWS_REGION');
    const auditRegions = parseAuditRegions(optionalEnv('AUDIT_REGIONS'));
    const accountId = accountIdFromContext(context);
    const response = await runRemediation(
      { sns, topicArn, dynamodbFor, logger, rates: deps.rates ?? DEFAULT_RATE_LIMITS },
      { accountId, homeRegion, auditRegions },
      event,
    );
    for (const [region, results] of groupByRegion(response.results)) {
      publishRegionCounts(metrics, region, {
        [METRIC.backupsCreated]: results.filter((r) => r.status === 'CREATED').length,
        [METRIC.remediationSkipped]: results.filter((r) => r.status === 'SKIPPED').length,
        [METRIC.remediationFailed]: results.filter((r) => r.status === 'FAILED' || r.status === 'REJECTED')
          .length,
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
