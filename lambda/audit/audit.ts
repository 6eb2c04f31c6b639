/**
 * One region's audit as the Lambda runs it: collect the findings, request remediation when enabled,
 * write the report to the reports bucket and import the findings into Security Hub (when enabled),
 * publish the digest, return the AuditReport. Neither the report nor Security Hub can fail the audit:
 * a problem with either is one line in the digest, a log line and a metric.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { buildReport, collectFindings, RegionClients, RegionFindings } from '../shared/audit-region';
import { Budget } from '../shared/budget';
import { describeError } from '../shared/errors';
import { renderAuditDigest } from '../shared/notify/audit-digest';
import { renderAuditFailure } from '../shared/notify/audit-failure';
import { publish } from '../shared/notify/message';
import { createPacer, RateLimits } from '../shared/pacing';
import { AuditPolicy } from '../shared/policy/audit-policy';
import { ReportLocation } from '../shared/reports/location';
import { ReportWriteResult, writeReport } from '../shared/reports/report-writer';
import { ExistingFindings, readExistingFindings } from '../shared/securityhub/existing-findings';
import { SecurityHubOutcome, securityHubNote, syncSecurityHub } from '../shared/securityhub/sync';
import { AuditReport } from '../shared/types';
import { requestRemediation } from './remediation-request';

export interface RegionAuditDeps {
  clients: RegionClients;
  sns: SNSClient;
  lambda: LambdaClient;
  /** Client of the reports bucket's region; needed when `config.reports` is set. */
  s3?: S3Client;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  rates: RateLimits;
  budget: Budget;
  now?: () => Date;
  timeScale?: number;
  /**
   * Obtains access to the audited account before anything else (a member account: assumes its member
   * role). A failure makes the region's audit fail with that reason, as an unlistable region does.
   */
  accountAccess?: () => Promise<unknown>;
}

export interface RegionAuditConfig {
  region: string;
  accountId: string;
  topicArn: string;
  autoRemediation: boolean;
  remediationFunctionName: string;
  /** @default DEFAULT_POLICY */
  policy?: AuditPolicy;
  /** Where the report is written (the stack's reports bucket). @default - not written */
  reports?: ReportLocation;
  /** Import one finding per table into Security Hub in the audited region. @default false */
  securityHubFindings?: boolean;
  /**
   * Publish this region's digest, or its failure alert. False for the items of a run over several
   * accounts, which sends one digest for the whole run. @default true
   */
  notify?: boolean;
  /** The account that owns the reports bucket (S3 `ExpectedBucketOwner`). @default accountId */
  reportsOwner?: string;
}

/** The report, and what became of its integrations (for the handler's log and metrics). */
export interface RegionAudit {
  report: AuditReport;
  /** Undefined when no report location is configured. */
  reportWrite?: ReportWriteResult;
  /** Undefined when Security Hub findings are off, or when the region could not be audited. */
  securityHub?: SecurityHubOutcome;
}

/**
 * Never throws for a region that cannot be audited (its tables cannot be listed): it sends one alert
 * and returns a report whose `failure` says why, so the incident is reported once, not once per retry.
 * It throws only when that alert itself cannot be sent, with the original error, so the failure
 * still reaches someone (the function's error alarm).
 */
export async function auditRegion(deps: RegionAuditDeps, config: RegionAuditConfig): Promise<RegionAudit> {
  const now = deps.now ?? (() => new Date());
  const { region, accountId } = config;
  if (config.reports && !deps.s3) throw new Error('auditRegion: a report location needs an S3 client');
  const startedAt = now();
  if (deps.accountAccess) {
    try {
      await deps.accountAccess();
    } catch (error) {
      return reportFailure(deps, config, { startedAt, finishedAt: now() }, describeError(error), error, [
        `Check that the member role exists in account ${accountId} and trusts this auditor's roles.`,
      ]);
    }
  }
  // Read the findings already in Security Hub while the tables are listed: at 3 calls/s a large
  // region's read takes a while, and it needs nothing from the audit. It never rejects.
  const existingFindings = config.securityHubFindings
    ? readExistingFindings(
        deps.clients.securityhub,
        createPacer(deps.rates.securityHubReadPerSecond, 1, deps.timeScale ?? 1),
        { region, accountId },
      )
    : undefined;

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
    await existingFindings; // nothing is imported for a region that could not be audited
    return reportFailure(
      deps,
      config,
      { startedAt, finishedAt: now() },
      `ListTables failed: ${describeError(error)}`,
      error,
      [
        `Check that the audit may call dynamodb:ListTables in ${accountId} ${region} and that the region is enabled there.`,
      ],
    );
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
  const reportWrite = await saveReport(deps, config, report);
  const securityHub = existingFindings
    ? await importIntoSecurityHub(deps, report, collected.tableListComplete, await existingFindings)
    : undefined;
  const securityHubProblem = securityHub ? securityHubNote(securityHub, region) : undefined;
  const digest = renderAuditDigest(report, {
    autoRemediation: config.autoRemediation,
    ...(config.policy ? { policy: config.policy } : {}),
    ...(remediationError ? { remediationError } : {}),
    ...(collected.tableListComplete ? {} : { tableListIncomplete: true }),
    ...(collected.exemptionsUnavailable ? { exemptionsUnavailable: collected.exemptionsUnavailable } : {}),
    ...(reportWrite && !reportWrite.written ? { reportWriteError: reportWrite.error } : {}),
    ...(securityHubProblem ? { securityHub: securityHubProblem } : {}),
  });
  if (digest && config.notify !== false) await publish(deps.sns, config.topicArn, digest);
  deps.logger.info('Region audited', {
    ...report.summary,
    remediationRequested,
    recoveryPointStrategy: collected.recoveryPointStrategy,
    tablesDescribed: collected.tablesDescribed,
    ...(collected.exemptionsUnavailable ? { exemptionsUnavailable: collected.exemptionsUnavailable } : {}),
    ...(reportWrite?.written ? { reportUris: reportWrite.uris } : {}),
    ...(securityHub
      ? {
          securityHub: {
            imported: securityHub.imported,
            archived: securityHub.archived,
            failed: securityHub.failed,
            calls: securityHub.calls,
          },
        }
      : {}),
    notified: digest !== undefined && config.notify !== false,
  });
  return {
    report,
    ...(reportWrite ? { reportWrite } : {}),
    ...(securityHub ? { securityHub } : {}),
  };
}

/** Writes the report when a location is configured; a failure is logged and returned, never thrown. */
async function saveReport(
  deps: RegionAuditDeps,
  config: RegionAuditConfig,
  report: AuditReport,
): Promise<ReportWriteResult | undefined> {
  if (!config.reports || !deps.s3) return undefined;
  const result = await writeReport(deps.s3, config.reports, report, {
    expectedBucketOwner: config.reportsOwner ?? config.accountId,
  });
  if (!result.written)
    deps.logger.error('Could not write the report to the reports bucket', { error: result.error });
  return result;
}

async function importIntoSecurityHub(
  deps: RegionAuditDeps,
  report: AuditReport,
  tableListComplete: boolean,
  existing: ExistingFindings,
): Promise<SecurityHubOutcome> {
  const outcome = await syncSecurityHub(
    deps.clients.securityhub,
    createPacer(deps.rates.securityHubImportPerSecond, 1, deps.timeScale ?? 1),
    { report, tableListComplete, existing },
  );
  if (outcome.notEnabled !== undefined) {
    deps.logger.warn('Security Hub is not enabled in this region: findings not imported', {
      error: outcome.notEnabled,
    });
  } else if (outcome.error !== undefined) {
    deps.logger.error('Security Hub import failed', {
      error: outcome.error,
      imported: outcome.imported,
      failed: outcome.failed,
    });
  } else if (outcome.failed > 0) {
    deps.logger.error('Security Hub refused findings', {
      failedCount: outcome.failed,
      failedFindings: outcome.failures,
    });
  }
  if (outcome.archivalSkipped !== undefined) {
    deps.logger.warn('Findings of deleted tables not archived in Security Hub', {
      reason: outcome.archivalSkipped,
    });
  }
  return outcome;
}

/**
 * A region that could not be audited at all: one alert (unless the run sends one digest for every
 * account), a report whose `failure` says why, and no throw, so the incident is reported once.
 */
async function reportFailure(
  deps: RegionAuditDeps,
  config: RegionAuditConfig,
  times: { startedAt: Date; finishedAt: Date },
  failure: string,
  error: unknown,
  whatToCheck: string[],
): Promise<RegionAudit> {
  const { region, accountId } = config;
  deps.logger.error('Region audit failed', error as Error);
  // The history records the failed run too (the report says why; no finding lines).
  const report: AuditReport = { ...buildReport({ region, accountId, ...times }, [], 0), failure };
  const reportWrite = await saveReport(deps, config, report);
  if (config.notify === false) return { report, ...(reportWrite ? { reportWrite } : {}) };
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
          `${whatToCheck.join(' ')} The next scheduled audit will try again.`,
          ...(reportWrite && !reportWrite.written
            ? [`The report could not be saved in the reports bucket either: ${reportWrite.error}.`]
            : []),
        ],
      }),
    );
  } catch (publishError) {
    // Nobody was told: fail the invocation with the original error (the alarm on the function's
    // errors notifies), and keep the publish error in the log.
    deps.logger.error('Could not publish the audit failure alert', publishError as Error);
    throw error;
  }
  return { report, ...(reportWrite ? { reportWrite } : {}) };
}
