/**
 * A stand-in for the run's state machine (lib/audit-run.ts) over a simulated account: the same
 * steps, the same payloads, the same handler code. Plan (the run function), then every item of the
 * plan's S3 file through the audit function as the Distributed Map's children invoke it (at most
 * `maxConcurrency` at once; a failing child is recorded as Step Functions records it), the children's
 * results written as the ResultWriter writes them, then Aggregate (the run function).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPacer } from '../../lambda/shared/pacing';
import { AggregateOutcome } from '../../lambda/shared/run/aggregate';
import { AuditItemInput, RunItem } from '../../lambda/shared/run/item-result';
import { RunPlan } from '../../lambda/shared/run/plan';

export interface RunDriverOptions {
  lambda: LambdaClient;
  s3: S3Client;
  runFunction: string;
  auditFunction: string;
  maxConcurrency?: number;
  executionName?: string;
  startedAt?: Date;
}

export interface DrivenRun {
  plan: RunPlan;
  items: RunItem[];
  outcome: AggregateOutcome;
}

interface ChildExecution {
  ExecutionArn: string;
  Input: string;
  Output?: string;
  Status: 'SUCCEEDED' | 'FAILED';
  Error?: string;
  Cause?: string;
}

async function invokeSync(lambda: LambdaClient, functionName: string, event: unknown) {
  const output = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }),
  );
  const text = Buffer.from(output.Payload ?? []).toString();
  return { functionError: output.FunctionError, text };
}

export async function driveRun(options: RunDriverOptions): Promise<DrivenRun> {
  const { lambda, s3 } = options;
  const executionName = options.executionName ?? 'scheduled-run';
  const startedAt = options.startedAt ?? new Date();
  const planned = await invokeSync(lambda, options.runFunction, {
    step: 'plan',
    executionName,
    startedAt: startedAt.toISOString(),
    maxConcurrency: options.maxConcurrency ?? 40,
  });
  if (planned.functionError) throw new Error(`Plan failed: ${planned.text}`);
  const plan = JSON.parse(planned.text) as RunPlan;

  const object = await s3.send(new GetObjectCommand({ Bucket: plan.bucket, Key: plan.itemsKey }));
  const items = JSON.parse((await object.Body?.transformToString()) ?? '[]') as RunItem[];

  const slots = createPacer(Infinity, plan.maxConcurrency);
  const children = await Promise.all(
    items.map((item, i) =>
      slots.run(async (): Promise<ChildExecution> => {
        const input: AuditItemInput = { ...item, runId: plan.runId, notify: plan.perRegionDigests };
        const result = await invokeSync(lambda, options.auditFunction, input);
        const execution = {
          ExecutionArn: `arn:aws:states:::execution:child-${i}`,
          Input: JSON.stringify(input),
        };
        if (!result.functionError) return { ...execution, Output: result.text, Status: 'SUCCEEDED' };
        const cause = JSON.parse(result.text) as { errorType?: string };
        return { ...execution, Status: 'FAILED', Error: cause.errorType ?? 'Error', Cause: result.text };
      }),
    ),
  );

  const prefix = `${plan.resultsPrefix}/map-run-1`;
  const put = (key: string, body: unknown) =>
    s3.send(new PutObjectCommand({ Bucket: plan.bucket, Key: key, Body: JSON.stringify(body) }));
  const succeeded = children.filter((c) => c.Status === 'SUCCEEDED');
  const failed = children.filter((c) => c.Status === 'FAILED');
  await put(`${prefix}/SUCCEEDED_0.json`, succeeded);
  await put(`${prefix}/FAILED_0.json`, failed);
  await put(`${prefix}/manifest.json`, {
    ResultFiles: {
      SUCCEEDED: [{ Key: `${prefix}/SUCCEEDED_0.json` }],
      FAILED: [{ Key: `${prefix}/FAILED_0.json` }],
      PENDING: [],
    },
  });

  const aggregated = await invokeSync(lambda, options.runFunction, {
    step: 'aggregate',
    plan,
    resultWriter: { Bucket: plan.bucket, Key: `${prefix}/manifest.json` },
  });
  if (aggregated.functionError) throw new Error(`Aggregate failed: ${aggregated.text}`);
  return { plan, items, outcome: JSON.parse(aggregated.text) as AggregateOutcome };
}
