/**
 * One region's audit as the Lambda runs it: collect the findings, request remediation when enabled,
 * publish the digest, return the AuditReport.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { buildReport, collectFindings, RegionClients, RegionFindings } from '../shared/audit-region';
import { Budget } from '../shared/budget';
import { describeError } from '../shared/errors';
import { renderAuditDigest } from '../shared/notify/audit-digest';
import { renderAuditFailure } from '../shared/notify/audit-failure';
import { publish } from '../shared/notify/message';
import { RateLimits } from '../shared/pacing';
import { AuditPolicy } from '../shared/policy/audit-policy';
import { AuditReport } from '../shared/types';
import { requestRemediation } from './remediation-request';

export interface RegionAuditDeps {
  clients: RegionClients;
  sns: SNSClient;
  lambda: LambdaClient;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  rates: RateLimits;
  budget: Budget;
  now?: () => Date;
  timeScale?: number;
}

export interface RegionAuditConfig {
  region: string;
  accountId: string;
  topicArn: string;
  autoRemediation: boolean;
  remediationFunctionName: string;
  /** @default DEFAULT_POLICY */
  policy?: AuditPolicy;
}

/**
 * Never throws for a region that cannot be audited (its tables cannot be listed): it sends one alert
 * and returns a report whose `failure` says why, so the incident is reported once, not once per retry.
 * It throws only when that alert itself cannot be sent, with the original error, so the failure
 * still reaches someone (the function's error alarm).
 */
export async function auditRegion(deps: RegionAuditDeps, config: RegionAuditConfig): Promise<AuditReport> {
  const now = deps.now ?? (() => new Date());
  const { region, accountId } = config;
  const startedAt = now();

  let collected: RegionFindings;
  try {
    collected = await collectFindings(deps.clients, {
      region,
      accountId,
      rates: deps.rates,
      budget: deps.budget,
      now: startedAt,
      ...(config.policy ? { policy: config.policy } : {}),
      ...(deps.timeScale ? { timeScale: deps.timeScale } : {}),
    });
  } catch (error) {
    return reportListingFailure(deps, config, { startedAt, finishedAt: now() }, error);
  }
  const { findings } = collected;
  if (!collected.tableListComplete)
    deps.logger.warn('Time budget exhausted while listing tables', { listed: findings.length });

  const nonCompliant = findings.filter((f) => f.status === 'NON_COMPLIANT');
  let remediationRequested = 0;
  let remediationError: string | undefined;
  if (config.autoRemediation && nonCompliant.length > 0) {
    const request = await requestRemediation(deps.lambda, config.remediationFunctionName, nonCompliant);
    remediationRequested = request.requested;
    if (request.error !== undefined) {
      remediationError = `${describeError(request.error)}; ${request.requested} of ${nonCompliant.length} tables were handed over`;
      deps.logger.error('Could not invoke the remediation function', {
        error: describeError(request.error),
        requested: request.requested,
        nonCompliant: nonCompliant.length,
      });
    }
  }

  const report = buildReport(
    { region, accountId, startedAt, finishedAt: now() },
    findings,
    remediationRequested,
  );
  const digest = renderAuditDigest(report, {
    autoRemediation: config.autoRemediation,
    ...(config.policy ? { policy: config.policy } : {}),
    ...(remediationError ? { remediationError } : {}),
    ...(collected.tableListComplete ? {} : { tableListIncomplete: true }),
    ...(collected.exemptionsUnavailable ? { exemptionsUnavailable: collected.exemptionsUnavailable } : {}),
  });
  if (digest) await publish(deps.sns, config.topicArn, digest);
  deps.logger.info('Region audited', {
    ...report.summary,
    remediationRequested,
    recoveryPointStrategy: collected.recoveryPointStrategy,
    tablesDescribed: collected.tablesDescribed,
    ...(collected.exemptionsUnavailable ? { exemptionsUnavailable: collected.exemptionsUnavailable } : {}),
    notified: digest !== undefined,
  });
  return report;
}

async function reportListingFailure(
  deps: RegionAuditDeps,
  config: RegionAuditConfig,
  times: { startedAt: Date; finishedAt: Date },
  error: unknown,
): Promise<AuditReport> {
  const { region, accountId } = config;
  const failure = `ListTables failed: ${describeError(error)}`;
  deps.logger.error('Region audit failed: tables could not be listed', error as Error);
  try {
    await publish(
      deps.sns,
      config.topicArn,
      renderAuditFailure({
        accountId,
        region,
        headline: `audit of ${region} failed`,
        details: [
          `No table of ${region} was evaluated: ${failure}.`,
          'Check that the audit function may call dynamodb:ListTables there and that the region is enabled; the next scheduled audit will try again.',
        ],
      }),
    );
  } catch (publishError) {
    // Nobody was told: fail the invocation with the original error (the alarm on the function's
    // errors notifies), and keep the publish error in the log.
    deps.logger.error('Could not publish the audit failure alert', publishError as Error);
    throw error;
  }
  return { ...buildReport({ region, accountId, ...times }, [], 0), failure };
}
