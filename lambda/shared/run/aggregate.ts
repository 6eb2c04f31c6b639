/**
 * A run's last step (`{"step":"aggregate"}` of the run function): read what the Distributed Map's
 * ResultWriter wrote (its manifest, then each SUCCEEDED and FAILED result file), turn each failed
 * child execution into that account × region's ERROR with its cause, give every planned item that has
 * no result at all an ERROR too (the Map Run stopped before it), write the run's report to
 * `runs/<runId>/summary.json`, and, when the run covers several accounts, publish ONE digest for it
 * (one account: its regional audits sent their own).
 *
 * Result files are JSON arrays of child executions: `{ExecutionArn, Input, Output, Status, Error?,
 * Cause?}`, with `Input` and `Output` as JSON strings. A Lambda failure's `Cause` is itself JSON
 * (`{"errorType","errorMessage","trace"}`).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { publish } from '../notify/message';
import { renderRunDigest } from '../notify/run-digest';
import { AuditSummary } from '../types';
import { AuditItemResult, failedItemResult, isAuditItemResult, RunItem } from './item-result';
import { RunPlan } from './plan';
import { runKeys } from './run-keys';
import { RunSummary, summarizeRun } from './run-summary';

/** The Map state's output with a ResultWriter: where its manifest lies. */
export interface ResultWriterDetails {
  Bucket: string;
  Key: string;
}

interface ResultManifest {
  ResultFiles?: Partial<Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key?: string }[]>>;
}

interface ChildExecution {
  Input?: unknown;
  Output?: unknown;
  Status?: string;
  Error?: string;
  Cause?: string;
}

export interface AggregateDeps {
  s3: S3Client;
  sns: SNSClient;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
}

export interface AggregateConfig {
  plan: RunPlan;
  /** Absent when the Map wrote nothing (no item ran): every item is then an ERROR. */
  resultWriter?: ResultWriterDetails;
  topicArn: string;
}

export type DigestOutcome = 'published' | 'nothing to report' | 'per-region digests';

/** The aggregation's small output (the full report is in S3). */
export interface AggregateOutcome {
  runId: string;
  summaryKey: string;
  accounts: number;
  items: number;
  itemsFailed: number;
  unauditedAccounts: number;
  totals: AuditSummary;
  digest: DigestOutcome;
}

export const NOT_RUN_REASON = 'Not audited: the run ended before this account and region were audited.';

async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await object.Body?.transformToString();
  if (text === undefined) throw new Error(`s3://${bucket}/${key} is empty`);
  return JSON.parse(text) as unknown;
}

const parseMaybeJson = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

function itemOf(value: unknown): RunItem | undefined {
  const input = parseMaybeJson(value);
  if (typeof input !== 'object' || input === null) return undefined;
  const { accountId, region } = input as Partial<RunItem>;
  return typeof accountId === 'string' && typeof region === 'string' ? { accountId, region } : undefined;
}

/** "InvalidAuditEventError: …" from a Lambda error's JSON cause, else the state's error and cause. */
export function failureOf(execution: ChildExecution): string {
  const cause = parseMaybeJson(execution.Cause);
  if (typeof cause === 'object' && cause !== null && 'errorMessage' in cause) {
    const { errorType, errorMessage } = cause as { errorType?: unknown; errorMessage?: unknown };
    return `${typeof errorType === 'string' ? `${errorType}: ` : ''}${String(errorMessage)}`;
  }
  const parts = [execution.Error, typeof execution.Cause === 'string' ? execution.Cause : undefined].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  return parts.length > 0
    ? parts.join(': ')
    : `the audit's execution ended ${execution.Status ?? 'without a result'}`;
}

/** Every item's result from the ResultWriter's files, keyed by `accountId|region`. */
async function readResults(
  deps: AggregateDeps,
  details: ResultWriterDetails,
): Promise<Map<string, AuditItemResult>> {
  const manifest = (await readJson(deps.s3, details.Bucket, details.Key)) as ResultManifest;
  const results = new Map<string, AuditItemResult>();
  const files = manifest.ResultFiles ?? {};
  // FAILED first: a SUCCEEDED result of the same item (a redriven execution) replaces it.
  for (const status of ['FAILED', 'SUCCEEDED'] as const) {
    for (const file of files[status] ?? []) {
      if (!file.Key) continue;
      const executions = await readJson(deps.s3, details.Bucket, file.Key);
      if (!Array.isArray(executions)) throw new Error(`${file.Key} is not a JSON array of executions`);
      for (const execution of executions as ChildExecution[]) {
        const item = itemOf(execution.Input);
        if (!item) {
          deps.logger.warn('A child execution without an account and region was ignored', { file: file.Key });
          continue;
        }
        const output = parseMaybeJson(execution.Output);
        const result =
          status === 'SUCCEEDED' && isAuditItemResult(output)
            ? output
            : failedItemResult(
                item,
                status === 'SUCCEEDED' ? 'The audit returned no readable result.' : failureOf(execution),
              );
        results.set(`${item.accountId}|${item.region}`, result);
      }
    }
  }
  return results;
}

export async function aggregateRun(deps: AggregateDeps, config: AggregateConfig): Promise<AggregateOutcome> {
  const { plan } = config;
  const now = deps.now ?? (() => new Date());
  const planned = (await readJson(deps.s3, plan.bucket, plan.itemsKey)) as RunItem[];
  const byItem = config.resultWriter ? await readResults(deps, config.resultWriter) : new Map();
  const results = planned.map(
    (item) => byItem.get(`${item.accountId}|${item.region}`) ?? failedItemResult(item, NOT_RUN_REASON),
  );
  const summary: RunSummary = summarizeRun(
    { runId: plan.runId, bucket: plan.bucket, regions: plan.regions, finishedAt: now() },
    results,
  );
  const summaryKey = runKeys(plan.runId).summary;
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: plan.bucket,
      Key: summaryKey,
      Body: JSON.stringify(summary),
      ContentType: 'application/json',
    }),
  );

  let digest: DigestOutcome = 'per-region digests';
  if (!plan.perRegionDigests) {
    const rendered = renderRunDigest(summary);
    digest = rendered ? 'published' : 'nothing to report';
    // A digest that cannot be published fails the step (and the execution, which alarms): the report
    // is already in S3.
    if (rendered) await publish(deps.sns, config.topicArn, rendered);
  }
  const outcome: AggregateOutcome = {
    runId: plan.runId,
    summaryKey,
    accounts: summary.accounts,
    items: summary.items,
    itemsFailed: summary.itemsFailed,
    unauditedAccounts: summary.unauditedAccounts.length,
    totals: summary.totals,
    digest,
  };
  deps.logger.info('Run aggregated', { ...outcome });
  return outcome;
}
