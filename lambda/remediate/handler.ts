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
import { RegionClients } from '../shared/audit-region';
import { parseAuditAccounts } from '../shared/org/audit-accounts';
import { MemberAccess, MemberCredentials, sessionNameFor } from '../shared/org/member-credentials';
import { parseAuditRegions, partitionOf } from '../shared/regions';
import { RemediationResponse, RemediationResult } from '../shared/types';
import { runRemediation } from './run';

export interface RemediationHandlerDeps {
  sns: SNSClient;
  /** This account's DynamoDB client, by region. */
  dynamodbFor: (region: string) => DynamoDBClient;
  /** The member credentials of one invocation (one AssumeRole per account). */
  memberCredentials: (access: MemberAccess) => MemberCredentials;
  /** A member account's clients, by account and region, with those credentials. */
  memberClientsFor: (credentials: MemberCredentials) => (accountId: string, region: string) => RegionClients;
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
    const auditAccounts = parseAuditAccounts(optionalEnv('AUDIT_ACCOUNTS'));
    // Tables of member accounts are backed up through their member role, assumed once an invocation.
    let memberClients: ((accountId: string, region: string) => RegionClients) | undefined;
    const clientFor = (region: string, tableAccount: string): DynamoDBClient => {
      if (tableAccount === accountId) return dynamodbFor(region);
      memberClients ??= deps.memberClientsFor(
        deps.memberCredentials({
          homeAccountId: accountId,
          partition: partitionOf(homeRegion),
          roleName: requireEnv('MEMBER_ROLE_NAME'),
          sessionName: sessionNameFor(`remediation-${context.awsRequestId}`),
        }),
      );
      return memberClients(tableAccount, region).dynamodb;
    };
    const response = await runRemediation(
      { sns, topicArn, dynamodbFor: clientFor, logger, rates: deps.rates ?? DEFAULT_RATE_LIMITS },
      { accountId, homeRegion, auditRegions, auditAccounts },
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
