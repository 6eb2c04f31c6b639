/** The regions an audit covers: the AuditRegions setting resolved against the account's enabled regions. */
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { AuditRegions, isRegionName } from './regions';

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
