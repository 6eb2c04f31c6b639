/**
 * The run function: the first and last steps of a scheduled run's state machine (lib/audit-run.ts).
 * `{"step":"plan"}` resolves the accounts and regions, writes the items to S3 and returns the plan;
 * `{"step":"aggregate"}` reads the Map's results, writes the run's report and sends the run's digest.
 *
 * Environment: REPORT_BUCKET, TOPIC_ARN, AUDIT_ACCOUNTS, AUDIT_REGIONS (AWS_REGION from Lambda).
 * The account id is read from the invocation context.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { optionalEnv, requireEnv } from '../shared/config';
import { accountIdFromContext } from '../shared/context';
import { parseAuditAccounts } from '../shared/org/audit-accounts';
import { parseAuditRegions } from '../shared/regions';
import { aggregateRun, AggregateOutcome } from '../shared/run/aggregate';
import { checkMaxConcurrency, planRun, RunPlan } from '../shared/run/plan';
import { newRunId } from '../shared/run/run-keys';
import { parseRunEvent } from './event';

export interface RunHandlerDeps {
  s3: S3Client;
  sns: SNSClient;
  organizations: OrganizationsClient;
  account: AccountClient;
  logger: Logger;
  now?: () => Date;
}

export type RunHandler = (event: unknown, context: Context) => Promise<RunPlan | AggregateOutcome>;

export const createRunHandler =
  (deps: RunHandlerDeps): RunHandler =>
  async (event, context) => {
    deps.logger.addContext(context);
    const parsed = parseRunEvent(event); // a malformed event fails here, before any AWS call
    const bucket = requireEnv('REPORT_BUCKET');
    const homeAccountId = accountIdFromContext(context);
    if (parsed.step === 'plan') {
      const maxConcurrency = checkMaxConcurrency(parsed.maxConcurrency); // also before any AWS call
      const runId = newRunId(parsed.startedAt, parsed.executionName);
      deps.logger.appendKeys({ runId });
      try {
        return await planRun(
          { s3: deps.s3, organizations: deps.organizations, account: deps.account, logger: deps.logger },
          {
            runId,
            bucket,
            homeAccountId,
            homeRegion: requireEnv('AWS_REGION'),
            auditAccounts: parseAuditAccounts(optionalEnv('AUDIT_ACCOUNTS')),
            auditRegions: parseAuditRegions(optionalEnv('AUDIT_REGIONS')),
            maxConcurrency,
          },
        );
      } finally {
        deps.logger.removeKeys(['runId']);
      }
    }
    if (parsed.plan.bucket !== bucket) {
      throw new Error(`The plan's bucket ${parsed.plan.bucket} is not this stack's reports bucket ${bucket}`);
    }
    deps.logger.appendKeys({ runId: parsed.plan.runId });
    try {
      return await aggregateRun(
        { s3: deps.s3, sns: deps.sns, logger: deps.logger, ...(deps.now ? { now: deps.now } : {}) },
        {
          plan: parsed.plan,
          topicArn: requireEnv('TOPIC_ARN'),
          ...(parsed.resultWriter ? { resultWriter: parsed.resultWriter } : {}),
        },
      );
    } finally {
      deps.logger.removeKeys(['runId']);
    }
  };
