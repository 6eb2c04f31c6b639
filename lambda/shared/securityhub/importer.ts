/**
 * BatchImportFindings in batches of at most 100 findings (the API's limit), one call at a time through
 * a pacer that keeps under its 10 calls/s per account and region. A finding Security Hub refuses comes
 * back in FailedFindings: counted and returned, never thrown. The first call that fails as a whole ends
 * the import (the next would fail the same way): its findings and the rest count as failed.
 */
import {
  AwsSecurityFinding,
  BatchImportFindingsCommand,
  ImportFindingsError,
  InvalidAccessException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { describeError } from '../errors';
import { Pacer } from '../pacing';

/** BatchImportFindings takes at most 100 findings a call. */
export const IMPORT_BATCH_SIZE = 100;
/** The FailedFindings error code of an account and region where Security Hub is not enabled. */
export const NOT_ENABLED_ERROR_CODE = 'InvalidAccess';
/** FailedFindings kept for the log. */
const FAILURES_KEPT = 20;

export interface ImportResult {
  /** BatchImportFindings calls made. */
  calls: number;
  imported: number;
  /** Findings not imported: refused one by one, or in a call that failed, or never sent after it. */
  failed: number;
  /** The first FailedFindings, for the log. */
  failures: ImportFindingsError[];
  /** Security Hub is not enabled in the region: why. */
  notEnabled?: string;
  /** The call that failed as a whole, when one did. */
  error?: string;
}

export async function importFindings(
  client: SecurityHubClient,
  pacer: Pacer,
  findings: AwsSecurityFinding[],
): Promise<ImportResult> {
  const result: ImportResult = { calls: 0, imported: 0, failed: 0, failures: [] };
  for (let start = 0; start < findings.length; start += IMPORT_BATCH_SIZE) {
    const batch = findings.slice(start, start + IMPORT_BATCH_SIZE);
    try {
      const output = await pacer.run(() => client.send(new BatchImportFindingsCommand({ Findings: batch })));
      result.calls++;
      const failedFindings = output.FailedFindings ?? [];
      const failed = Math.max(output.FailedCount ?? 0, failedFindings.length);
      result.failed += failed;
      result.imported += output.SuccessCount ?? batch.length - failed;
      result.failures.push(...failedFindings.slice(0, FAILURES_KEPT - result.failures.length));
      if (failed === batch.length && failedFindings.every((f) => f.ErrorCode === NOT_ENABLED_ERROR_CODE)) {
        const first = failedFindings[0];
        result.notEnabled = `${first?.ErrorCode ?? NOT_ENABLED_ERROR_CODE}: ${first?.ErrorMessage ?? 'Security Hub is not enabled'}`;
        result.failed += findings.length - start - batch.length;
        return result;
      }
    } catch (error) {
      result.calls++;
      result.failed += findings.length - start;
      if (error instanceof InvalidAccessException) result.notEnabled = describeError(error);
      else result.error = describeError(error);
      return result;
    }
  }
  return result;
}
