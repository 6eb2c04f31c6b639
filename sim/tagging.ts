/**
 * The Resource Groups Tagging API operation the auditor calls: GetResources, filtered on tag keys and
 * resource types, paginated by an opaque token. Tags stay listed after their resource is deleted (the
 * API lists resources that are or were once tagged).
 */
import type {
  GetResourcesCommandInput,
  GetResourcesOutput,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { taggingErrors } from './errors';
import { requireModelledMembers } from './modelled';
import type { CallInfo, SimWorld } from './state';

const MAX_PER_PAGE = 100;

export function getResources(
  world: SimWorld,
  call: CallInfo,
  input: GetResourcesCommandInput,
): GetResourcesOutput {
  requireModelledMembers(call.operation, input, [
    'TagFilters',
    'ResourceTypeFilters',
    'ResourcesPerPage',
    'PaginationToken',
  ]);
  const perPage = input.ResourcesPerPage ?? MAX_PER_PAGE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw taggingErrors.invalidParameter(`ResourcesPerPage must be between 1 and ${MAX_PER_PAGE}`);
  }
  const types = input.ResourceTypeFilters ?? [];
  const filters = input.TagFilters ?? [];
  const matching = [...world.regionState(call.region).tags.entries()]
    .filter(([arn]) => types.length === 0 || types.some((type) => resourceTypeOf(arn) === type))
    .filter(([, tags]) =>
      // ANDed across keys, ORed across the values of one key; a key without values matches any value.
      filters.every(
        (f) =>
          f.Key !== undefined && f.Key in tags && (!f.Values?.length || f.Values.includes(tags[f.Key] ?? '')),
      ),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const start = input.PaginationToken ? Number.parseInt(input.PaginationToken, 36) : 0;
  if (Number.isNaN(start)) throw taggingErrors.invalidParameter('PaginationToken is not valid');
  const page = matching.slice(start, start + perPage);
  const next = start + perPage < matching.length ? (start + perPage).toString(36) : '';
  return {
    ResourceTagMappingList: page.map(([arn, tags]) => ({
      ResourceARN: arn,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    })),
    PaginationToken: next,
  };
}

/** `arn:aws:dynamodb:eu-west-1:123456789012:table/orders` → `dynamodb:table`. */
function resourceTypeOf(arn: string): string {
  const [, , service = '', , , resource = ''] = arn.split(':');
  return `${service}:${resource.split('/')[0] ?? ''}`;
}
