/**
 * The exemption tags of a region's tables in one paginated listing: tag:GetResources filtered on the
 * tag key `dynamodb-005:exempt-reason` and the type `dynamodb:table` returns only the tables that
 * carry it (100 a page), never a per-table ListTagsOfResource (10 calls/s for the whole account).
 */
import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { Budget, cancelledBy } from '../budget';
import { describeError } from '../errors';
import { EXEMPT_REASON_TAG } from '../policy/exemptions';

const PAGE_SIZE = 100;

/** Tags by table ARN, or why they could not be read (tables are then evaluated without them). */
export type ExemptionTags = { byArn: Map<string, Record<string, string>> } | { unavailable: string };

export async function listExemptionTags(
  tagging: ResourceGroupsTaggingAPIClient,
  budget: Budget,
): Promise<ExemptionTags> {
  const byArn = new Map<string, Record<string, string>>();
  try {
    for await (const page of paginateGetResources(
      { client: tagging, pageSize: PAGE_SIZE },
      {
        TagFilters: [{ Key: EXEMPT_REASON_TAG }],
        ResourceTypeFilters: ['dynamodb:table'],
        ResourcesPerPage: PAGE_SIZE,
      },
      { abortSignal: budget.signal },
    )) {
      for (const resource of page.ResourceTagMappingList ?? []) {
        if (!resource.ResourceARN) continue;
        const tags: Record<string, string> = {};
        for (const tag of resource.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
        byArn.set(resource.ResourceARN, tags);
      }
      if (page.PaginationToken && budget.exhausted()) {
        return { unavailable: 'the time budget ran out while reading them' };
      }
    }
  } catch (error) {
    if (cancelledBy(budget, error)) return { unavailable: 'the time budget ran out while reading them' };
    return { unavailable: describeError(error) };
  }
  return { byArn };
}
