/**
 * Audit Lambda. `{"region":"eu-west-1"}` audits that region and returns its AuditReport; any other
 * event (the schedule's `{}`, an EventBridge Scheduled Event) dispatches one audit per region.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { RegionClients } from '../shared/audit-region';
import { optionalEnv, parseBoolean, requireEnv } from '../shared/config';
import { accountIdFromContext } from '../shared/context';
import { createBudget } from '../shared/budget';
import { publishRegionAuditFailure, publishRegionCounts } from '../shared/metrics';
import { METRIC } from '../shared/observability';
import { publish } from '../shared/notify/message';
import { renderAuditFailure } from '../shared/notify/audit-failure';
import { DEFAULT_RATE_LIMITS, RateLimits } from '../shared/pacing';
import { policyFromEnvironment } from '../shared/policy/audit-policy';
import { isAuditedRegion, parseAuditRegions } from '../shared/regions';
import { AuditReport, DispatchResult } from '../shared/types';
import { auditRegion } from './audit';
import { fitResponse } from './response';
import { dispatchRegions, listEnabledRegions, resolveRegions } from './dispatch';
import { InvalidAuditEventError, parseAuditEvent } from './event';

/** Kept back from the Lambda timeout to judge, notify and return what was gathered. */
const PUBLISH_RESERVE_MS = 60_000;

export interface AuditHandlerDeps {
  sns: SNSClient;
  lambda: LambdaClient;
  account: AccountClient;
  /** Client of the reports bucket's region (the home region). */
  s3: S3Client;
  clientsFor: (region: string) => RegionClients;
  logger: Logger;
  metrics: Metrics;
  /** @default DEFAULT_RATE_LIMITS */
  rates?: RateLimits;
}

export type AuditHandler = (event: unknown, context: Context) => Promise<AuditReport | DispatchResult>;

/** The handler over its dependencies: index.ts passes real clients, end-to-end tests simulated ones. */
export const createAuditHandler =
  (deps: AuditHandlerDeps): AuditHandler =>
  async (event, context) => {
    const { sns, lambda, account, logger, metrics } = deps;
    logger.addContext(context);
    const parsed = parseAuditEvent(event); // a malformed event fails here, before any AWS call
    const topicArn = requireEnv('TOPIC_ARN');
    const homeRegion = requireEnv('AWS_REGION');
    const auditRegions = parseAuditRegions(optionalEnv('AUDIT_REGIONS'));
    const accountId = accountIdFromContext(context);

    if (parsed.kind === 'dispatch') {
      const regions = await resolveRegions(auditRegions, homeRegion, () => listEnabledRegions(account));
      // The unqualified name: the role may invoke only that, whichever alias or version this run is.
      const outcome = await dispatchRegions({ lambda, logger }, context.functionName, regions);
      if (outcome.failed.length > 0) {
        await publish(
          sns,
          topicArn,
          renderAuditFailure({
            accountId,
            region: outcome.failed.length === 1 ? (outcome.failed[0]?.region ?? 'multiple') : 'multiple',
            headline: `audit could not start in ${outcome.failed.length} of ${regions.length} regions`,
            details: outcome.failed.map((f) => `${f.region}: ${f.error}`),
          }),
        );
      }
      return { dispatched: outcome.dispatched };
    }

    const { region } = parsed;
    if (!isAuditedRegion(auditRegions, homeRegion, region)) {
      throw new InvalidAuditEventError(
        `Region ${region} is not audited by this stack (AuditRegions="${optionalEnv('AUDIT_REGIONS')}", home region ${homeRegion})`,
      );
    }
    const policy = policyFromEnvironment();
    const reportBucket = requireEnv('REPORT_BUCKET');
    const securityHubFindings = parseBoolean('SECURITY_HUB_FINDINGS', requireEnv('SECURITY_HUB_FINDINGS'));
    logger.appendKeys({ region });
    const budget = createBudget(() => context.getRemainingTimeInMillis(), PUBLISH_RESERVE_MS);
    try {
      const { report, reportWrite, securityHub } = await auditRegion(
        {
          clients: deps.clientsFor(region),
          sns,
          lambda,
          s3: deps.s3,
          logger,
          rates: deps.rates ?? DEFAULT_RATE_LIMITS,
          budget,
        },
        {
          region,
          accountId,
          topicArn,
          policy,
          autoRemediation: parseBoolean('AUTO_REMEDIATION', requireEnv('AUTO_REMEDIATION')),
          remediationFunctionName: requireEnv('REMEDIATION_FUNCTION_NAME'),
          reports: { bucket: reportBucket, prefix: '' },
          securityHubFindings,
        },
      );
      publishRegionCounts(metrics, region, {
        [METRIC.tablesAudited]: report.summary.tables,
        [METRIC.compliantTables]: report.summary.compliant,
        [METRIC.nonCompliantTables]: report.summary.nonCompliant,
        [METRIC.errorTables]: report.summary.errors,
        [METRIC.exemptTables]: report.summary.exempt,
        [METRIC.remediationRequested]: report.remediationRequested,
        [METRIC.regionAuditFailures]: report.failure === undefined ? 0 : 1,
        [METRIC.reportWriteFailures]: reportWrite?.written === false ? 1 : 0,
        ...(securityHub
          ? {
              [METRIC.securityHubFindingsImported]: securityHub.imported,
              [METRIC.securityHubFailedFindings]: securityHub.failed,
            }
          : {}),
      });
      if (report.failure !== undefined) publishRegionAuditFailure(metrics);
      const response = fitResponse(report);
      if (response.omittedCompliant !== undefined) {
        logger.warn('COMPLIANT findings left out of the response (Lambda response size limit)', {
          omittedCompliant: response.omittedCompliant,
        });
      }
      return response;
    } finally {
      budget.dispose();
      logger.removeKeys(['region']);
    }
  };
