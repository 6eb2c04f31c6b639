/**
 * Audit Lambda. `{"region":"eu-west-1"}` audits that region of this account (with `"accountId"`, of
 * an audited member account, through its member role) and returns its AuditReport; the state
 * machine's items (`"runId"` set) get the small item result instead. Any other event (`{}`, the
 * EventBridge scheduled event) starts a run: one execution of the run's state machine.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { RegionClients } from '../shared/audit-region';
import { createBudget } from '../shared/budget';
import { optionalEnv, parseBoolean, requireEnv } from '../shared/config';
import { accountIdFromContext } from '../shared/context';
import { publishRegionAuditFailure, publishRegionCounts } from '../shared/metrics';
import { METRIC } from '../shared/observability';
import { isAuditedAccount, parseAuditAccounts } from '../shared/org/audit-accounts';
import { MemberAccess, MemberCredentials, sessionNameFor } from '../shared/org/member-credentials';
import { DEFAULT_RATE_LIMITS, RateLimits } from '../shared/pacing';
import { policyFromEnvironment } from '../shared/policy/audit-policy';
import { isAuditedRegion, parseAuditRegions, partitionOf } from '../shared/regions';
import { AuditItemResult, toItemResult } from '../shared/run/item-result';
import { AuditReport, RunStarted } from '../shared/types';
import { auditRegion } from './audit';
import { InvalidAuditEventError, parseAuditEvent } from './event';
import { fitResponse } from './response';

/** Kept back from the Lambda timeout to judge, notify and return what was gathered. */
const PUBLISH_RESERVE_MS = 60_000;

export interface AuditHandlerDeps {
  sns: SNSClient;
  lambda: LambdaClient;
  sfn: SFNClient;
  /** Client of the reports bucket's region (the home region). */
  s3: S3Client;
  /** This account's clients, by region. */
  clientsFor: (region: string) => RegionClients;
  /** The member credentials of one invocation (one AssumeRole per account, named after the run). */
  memberCredentials: (access: MemberAccess) => MemberCredentials;
  /** A member account's clients, by account and region, with those credentials. */
  memberClientsFor: (credentials: MemberCredentials) => (accountId: string, region: string) => RegionClients;
  logger: Logger;
  metrics: Metrics;
  /** @default DEFAULT_RATE_LIMITS */
  rates?: RateLimits;
}

export type AuditHandler = (
  event: unknown,
  context: Context,
) => Promise<AuditReport | AuditItemResult | RunStarted>;

/** The handler over its dependencies: index.ts passes real clients, end-to-end tests simulated ones. */
export const createAuditHandler =
  (deps: AuditHandlerDeps): AuditHandler =>
  async (event, context) => {
    const { logger, metrics } = deps;
    logger.addContext(context);
    const parsed = parseAuditEvent(event); // a malformed event fails here, before any AWS call
    const homeAccountId = accountIdFromContext(context);

    if (parsed.kind === 'start') {
      const { executionArn, startDate } = await deps.sfn.send(
        new StartExecutionCommand({ stateMachineArn: requireEnv('STATE_MACHINE_ARN'), input: '{}' }),
      );
      logger.info('Audit run started', { executionArn });
      return { executionArn: executionArn ?? '', startedAt: (startDate ?? new Date()).toISOString() };
    }

    const { region, runId } = parsed;
    const accountId = parsed.accountId ?? homeAccountId;
    const topicArn = requireEnv('TOPIC_ARN');
    const homeRegion = requireEnv('AWS_REGION');
    if (!isAuditedRegion(parseAuditRegions(optionalEnv('AUDIT_REGIONS')), homeRegion, region)) {
      throw new InvalidAuditEventError(
        `Region ${region} is not audited by this stack (AuditRegions="${optionalEnv('AUDIT_REGIONS')}", home region ${homeRegion})`,
      );
    }
    if (!isAuditedAccount(parseAuditAccounts(optionalEnv('AUDIT_ACCOUNTS')), homeAccountId, accountId)) {
      throw new InvalidAuditEventError(
        `Account ${accountId} is not audited by this stack (AuditAccounts="${optionalEnv('AUDIT_ACCOUNTS')}")`,
      );
    }
    const policy = policyFromEnvironment();
    const reportBucket = requireEnv('REPORT_BUCKET');
    const securityHubFindings = parseBoolean('SECURITY_HUB_FINDINGS', requireEnv('SECURITY_HUB_FINDINGS'));
    const autoRemediation = parseBoolean('AUTO_REMEDIATION', requireEnv('AUTO_REMEDIATION'));
    const remediationFunctionName = requireEnv('REMEDIATION_FUNCTION_NAME');

    // A member account is reached through its member role, assumed once for this invocation.
    const member =
      accountId === homeAccountId
        ? undefined
        : deps.memberCredentials({
            homeAccountId,
            partition: partitionOf(homeRegion),
            roleName: requireEnv('MEMBER_ROLE_NAME'),
            sessionName: sessionNameFor(runId ?? context.awsRequestId),
          });
    logger.appendKeys({ region, accountId, ...(runId ? { runId } : {}) });
    const budget = createBudget(() => context.getRemainingTimeInMillis(), PUBLISH_RESERVE_MS);
    try {
      const { report, reportWrite, securityHub } = await auditRegion(
        {
          clients: member ? deps.memberClientsFor(member)(accountId, region) : deps.clientsFor(region),
          sns: deps.sns,
          lambda: deps.lambda,
          s3: deps.s3,
          logger,
          rates: deps.rates ?? DEFAULT_RATE_LIMITS,
          budget,
          ...(member ? { accountAccess: () => member.for(accountId)?.() ?? Promise.resolve() } : {}),
        },
        {
          region,
          accountId,
          topicArn,
          policy,
          autoRemediation,
          remediationFunctionName,
          reports: { bucket: reportBucket, prefix: '' },
          reportsOwner: homeAccountId,
          securityHubFindings,
          notify: parsed.notify,
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
      // A run's item: a small summary (the Map's state and ResultWriter carry it); the report is in S3.
      if (runId !== undefined)
        return toItemResult(report, reportWrite?.written ? reportWrite.keys.report : undefined);
      const response = fitResponse(report);
      if (response.omittedCompliant !== undefined) {
        logger.warn('COMPLIANT findings left out of the response (Lambda response size limit)', {
          omittedCompliant: response.omittedCompliant,
        });
      }
      return response;
    } finally {
      budget.dispose();
      logger.removeKeys(['region', 'accountId', 'runId']);
    }
  };
