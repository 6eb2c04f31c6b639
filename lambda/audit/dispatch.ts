/**
 * Dispatch: resolve the regions to audit and start one asynchronous audit per region, so one region's
 * failure or slowness never holds up another's.
 */
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { describeError } from '../shared/errors';
import { AuditRegions, isRegionName } from '../shared/regions';
import { DispatchResult } from '../shared/types';

/** Every region enabled for the account (opt-in regions included only once enabled). */
export async function listEnabledRegions(account: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  for await (const page of paginateListRegions(
    { client: account },
    { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50 },
  )) {
    for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
  }
  return regions.filter(isRegionName).sort();
}

export async function resolveRegions(
  setting: AuditRegions,
  homeRegion: string,
  enabledRegions: () => Promise<string[]>,
): Promise<string[]> {
  switch (setting.kind) {
    case 'home':
      return [homeRegion];
    case 'list':
      return setting.regions;
    case 'all':
      return enabledRegions();
  }
}

export interface DispatchDeps {
  lambda: LambdaClient;
  logger: Pick<Logger, 'info' | 'error'>;
}

export interface DispatchOutcome extends DispatchResult {
  failed: { region: string; error: string }[];
}

/** Invokes `functionName` asynchronously with `{"region": r}` for each region; never stops early. */
export async function dispatchRegions(
  deps: DispatchDeps,
  functionName: string,
  regions: string[],
): Promise<DispatchOutcome> {
  const outcomes = await Promise.all(
    regions.map(async (region) => {
      try {
        await deps.lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify({ region })),
          }),
        );
        return { region };
      } catch (error) {
        deps.logger.error('Could not start the audit of a region', { region, error: describeError(error) });
        return { region, error: describeError(error) };
      }
    }),
  );
  const dispatched = outcomes.filter((o) => o.error === undefined).map((o) => o.region);
  const failed = outcomes.flatMap((o) =>
    o.error === undefined ? [] : [{ region: o.region, error: o.error }],
  );
  deps.logger.info('Audits dispatched', { dispatched, failed: failed.length });
  return { dispatched, failed };
}
