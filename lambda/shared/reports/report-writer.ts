/**
 * Every regional audit's history in S3, as docs/design.md lays it out ("Reports in S3"):
 *
 * - `findings/date=<YYYY-MM-DD>/<accountId>-<region>-<YYYYMMDDTHHMMSSZ>.jsonl`: one Finding a line, with
 *   `accountId` and `auditedAt` (the report's `finishedAt`) added; the Glue table reads these;
 * - `reports/date=<YYYY-MM-DD>/<accountId>-<region>-<YYYYMMDDTHHMMSSZ>.json`: the whole AuditReport,
 *   every finding (never trimmed to Lambda's response limit).
 *
 * The date and the stamp are the report's `finishedAt` in UTC. A failed write is a value, never an
 * exception: the audit goes on and says so.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { compactTimestamp } from '../backup-name';
import { describeError } from '../errors';
import { AuditReport, Finding } from '../types';
import { ReportLocation, s3Uri } from './location';

/** One line of a findings object. */
export type FindingLine = Finding & {
  /** The audited account. */
  accountId: string;
  /** ISO 8601: when the audit finished (the report's `finishedAt`). */
  auditedAt: string;
};

/**
 * Every field a finding line can carry, in the order the Glue table declares them (as lower-case
 * column names: Athena and the OpenX JSON SerDe match JSON keys case-insensitively).
 */
export const FINDING_LINE_FIELDS = [
  'accountId',
  'region',
  'tableName',
  'tableArn',
  'ruleId',
  'status',
  'reason',
  'lastBackupAt',
  'exemptUntil',
  'auditedAt',
] as const;
export type FindingLineField = (typeof FINDING_LINE_FIELDS)[number];
/** Fails to compile when FindingLine gains a field FINDING_LINE_FIELDS (and so the table) lacks. */
type Never<T extends never> = T;
export type FindingLineFieldsComplete = Never<Exclude<keyof FindingLine, FindingLineField>>;

export const FINDINGS_DIRECTORY = 'findings';
export const REPORTS_DIRECTORY = 'reports';

export interface ReportKeys {
  findings: string;
  report: string;
}

/** The two object keys of a report under `prefix` ('' or ending with '/'). */
export function reportKeys(
  report: Pick<AuditReport, 'accountId' | 'region' | 'finishedAt'>,
  prefix = '',
): ReportKeys {
  const finishedAt = new Date(report.finishedAt);
  if (Number.isNaN(finishedAt.getTime())) throw new Error(`finishedAt "${report.finishedAt}" is not a date`);
  const date = finishedAt.toISOString().slice(0, 10);
  const name = `${report.accountId}-${report.region}-${compactTimestamp(finishedAt)}`;
  return {
    findings: `${prefix}${FINDINGS_DIRECTORY}/date=${date}/${name}.jsonl`,
    report: `${prefix}${REPORTS_DIRECTORY}/date=${date}/${name}.json`,
  };
}

/** The report's findings as JSON lines (each line ends with a newline; no findings: empty). */
export function findingLines(report: AuditReport): string {
  return report.findings
    .map((finding) => {
      const line: FindingLine = { ...finding, accountId: report.accountId, auditedAt: report.finishedAt };
      return `${JSON.stringify(line)}\n`;
    })
    .join('');
}

export type ReportWriteResult =
  { written: true; keys: ReportKeys; uris: string[] } | { written: false; keys: ReportKeys; error: string };

export interface WriteOptions {
  /** Refuse to write into a bucket of another account (S3 `ExpectedBucketOwner`). */
  expectedBucketOwner?: string;
}

/** Writes the report's two objects; never throws for a failed write (see ReportWriteResult). */
export async function writeReport(
  s3: S3Client,
  location: ReportLocation,
  report: AuditReport,
  options: WriteOptions = {},
): Promise<ReportWriteResult> {
  const keys = reportKeys(report, location.prefix);
  const put = (key: string, body: string, contentType: string) =>
    s3.send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: key,
        Body: body,
        // Explicit, so an empty findings file (a region without tables) is sent with Content-Length 0,
        // which S3 requires, rather than without any length.
        ContentLength: Buffer.byteLength(body, 'utf8'),
        ContentType: contentType,
        ...(options.expectedBucketOwner ? { ExpectedBucketOwner: options.expectedBucketOwner } : {}),
      }),
    );
  const results = await Promise.allSettled([
    put(keys.findings, findingLines(report), 'application/x-ndjson; charset=utf-8'),
    put(keys.report, `${JSON.stringify(report)}\n`, 'application/json; charset=utf-8'),
  ]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    return {
      written: false,
      keys,
      error: `could not write ${s3Uri(location)}: ${describeError(failure.reason)}`,
    };
  }
  return { written: true, keys, uris: [s3Uri(location, keys.report), s3Uri(location, keys.findings)] };
}
