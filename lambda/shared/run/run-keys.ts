/**
 * A run's id and where its files lie in the reports bucket:
 *
 * ```
 * runs/<runId>/items.json              the account × region items the Map reads (plan)
 * runs/<runId>/results/<map run>/...   the Map's ResultWriter output (manifest.json, SUCCEEDED_n.json, FAILED_n.json)
 * runs/<runId>/summary.json            the run's report (aggregate)
 * ```
 *
 * The id starts with the run's UTC start time, so runs list in order, and ends with the start of the
 * Step Functions execution name, so a run is found from its execution and vice versa.
 */

/** `20261128T060000Z-<execution name, up to 40 of [A-Za-z0-9_-]>`. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[A-Za-z0-9_-]{1,40}$/;

export function newRunId(startedAt: Date, executionName: string): string {
  const time = startedAt.toISOString().replace(/[-:]|\.\d+/g, '');
  const name = executionName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'run';
  return `${time}-${name}`;
}

export interface RunKeys {
  prefix: string;
  items: string;
  /** The ResultWriter's Prefix; Step Functions adds `/<map run id>/` and its files. */
  results: string;
  summary: string;
}

export function runKeys(runId: string): RunKeys {
  const prefix = `runs/${runId}/`;
  return {
    prefix,
    items: `${prefix}items.json`,
    results: `${prefix}results`,
    summary: `${prefix}summary.json`,
  };
}
