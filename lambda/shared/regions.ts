/** AWS region names, partitions and the AuditRegions setting (empty, ALL, or a list). */

export class InvalidRegionError extends Error {
  override name = 'InvalidRegionError';
}

// us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5, us-isob-east-1, eusc-de-east-1
const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 32 && REGION_PATTERN.test(value);
}

export function assertRegionName(value: unknown): string {
  if (!isRegionName(value)) {
    throw new InvalidRegionError(
      `"${String(value)}" is not a well-formed AWS region name (expected something like "eu-west-1")`,
    );
  }
  return value;
}

/** The ARN partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

export type AuditRegions = { kind: 'home' } | { kind: 'all' } | { kind: 'list'; regions: string[] };

/** Parses the AuditRegions parameter: empty = the home region, `ALL`, or `us-east-1,eu-west-1`. */
export function parseAuditRegions(value: string): AuditRegions {
  const trimmed = value.trim();
  if (trimmed === '') return { kind: 'home' };
  if (trimmed.toUpperCase() === 'ALL') return { kind: 'all' };
  const regions = trimmed.split(',').map((r) => r.trim());
  for (const region of regions) assertRegionName(region);
  return { kind: 'list', regions: [...new Set(regions)] };
}

/**
 * Whether a region is covered by the AuditRegions setting. With ALL every region of the home
 * region's partition is covered (the account's enabled regions are checked by the AWS call itself).
 */
export function isAuditedRegion(setting: AuditRegions, homeRegion: string, region: string): boolean {
  switch (setting.kind) {
    case 'home':
      return region === homeRegion;
    case 'all':
      return partitionOf(region) === partitionOf(homeRegion);
    case 'list':
      return setting.regions.includes(region);
  }
}
