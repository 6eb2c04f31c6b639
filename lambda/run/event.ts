/**
 * The run function's two events, sent by the state machine (lib/audit-run.ts):
 *
 * - `{"step":"plan","executionName":"<$$.Execution.Name>","startedAt":"<$$.Execution.StartTime>","maxConcurrency":40}`
 * - `{"step":"aggregate","plan":{...the plan's output},"resultWriter":{"Bucket":"…","Key":"…/manifest.json"}}`
 *
 * Checked before any AWS call; anything else is an InvalidRunEventError (never retried by the
 * state machine).
 */
import { ResultWriterDetails } from '../shared/run/aggregate';
import { RunPlan } from '../shared/run/plan';
import { RUN_ID_PATTERN } from '../shared/run/run-keys';

export class InvalidRunEventError extends Error {
  override name = 'InvalidRunEventError';
}

export type RunEvent =
  | { step: 'plan'; executionName: string; startedAt: Date; maxConcurrency: unknown }
  | { step: 'aggregate'; plan: RunPlan; resultWriter?: ResultWriterDetails };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string => (JSON.stringify(value) ?? String(value)).slice(0, 200);

function parsePlan(value: unknown): RunPlan {
  if (!isObject(value))
    throw new InvalidRunEventError(`"plan" must be the plan step's output, got ${describe(value)}`);
  const {
    runId,
    bucket,
    itemsKey,
    resultsPrefix,
    accounts,
    regions,
    items,
    perRegionDigests,
    maxConcurrency,
  } = value;
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (
    typeof runId !== 'string' ||
    !RUN_ID_PATTERN.test(runId) ||
    typeof bucket !== 'string' ||
    bucket === '' ||
    itemsKey !== `runs/${runId}/items.json` ||
    typeof resultsPrefix !== 'string' ||
    !count(accounts) ||
    !count(regions) ||
    !count(items) ||
    typeof perRegionDigests !== 'boolean' ||
    !count(maxConcurrency)
  ) {
    throw new InvalidRunEventError(`"plan" is not a plan of this function: ${describe(value)}`);
  }
  return value as unknown as RunPlan;
}

function parseResultWriter(value: unknown): ResultWriterDetails | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || typeof value.Bucket !== 'string' || typeof value.Key !== 'string') {
    throw new InvalidRunEventError(
      `"resultWriter" must be the Map's ResultWriterDetails {"Bucket","Key"}, got ${describe(value)}`,
    );
  }
  return { Bucket: value.Bucket, Key: value.Key };
}

export function parseRunEvent(event: unknown): RunEvent {
  if (!isObject(event))
    throw new InvalidRunEventError(`The run event must be a JSON object, got ${describe(event)}`);
  switch (event.step) {
    case 'plan': {
      const { executionName, startedAt } = event;
      if (typeof executionName !== 'string' || executionName === '') {
        throw new InvalidRunEventError(
          `"executionName" must be the execution's name, got ${describe(executionName)}`,
        );
      }
      const started = typeof startedAt === 'string' ? new Date(startedAt) : undefined;
      if (!started || Number.isNaN(started.getTime())) {
        throw new InvalidRunEventError(`"startedAt" must be an ISO 8601 time, got ${describe(startedAt)}`);
      }
      return { step: 'plan', executionName, startedAt: started, maxConcurrency: event.maxConcurrency };
    }
    case 'aggregate': {
      const resultWriter = parseResultWriter(event.resultWriter);
      return { step: 'aggregate', plan: parsePlan(event.plan), ...(resultWriter ? { resultWriter } : {}) };
    }
    default:
      throw new InvalidRunEventError(`"step" must be "plan" or "aggregate", got ${describe(event.step)}`);
  }
}
