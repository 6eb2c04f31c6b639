/**
 * The findings this tool already has in Security Hub for one account and region, read with ONE
 * paginated GetFindings (100 a page, paced under its 3 calls/s) filtered on this tool's generator,
 * product, account and region and on RecordState ACTIVE. Filtering on the region matters: with
 * cross-region aggregation, GetFindings in the aggregation region also returns the linked regions'.
 * Filtering on the account matters in an administrator account, which sees its members' findings.
 */
import {
  AwsSecurityFinding,
  InvalidAccessException,
  paginateGetFindings,
  SecurityHubClient,
  StringFilter,
} from '@aws-sdk/client-securityhub';
import { describeError } from '../errors';
import { paced, Pacer } from '../pacing';
import { defaultProductArn, GENERATOR_ID, tableArnOf } from './asff';

/** GetFindings' largest page. */
export const GET_FINDINGS_PAGE_SIZE = 100;

export type ExistingFindings =
  /** By table ARN. */
  | { kind: 'read'; byTableArn: Map<string, AwsSecurityFinding> }
  /** Security Hub is not enabled in the region (InvalidAccessException): the message. */
  | { kind: 'notEnabled'; message: string }
  | { kind: 'failed'; error: string };

const equals = (value: string): StringFilter[] => [{ Value: value, Comparison: 'EQUALS' }];

export async function readExistingFindings(
  client: SecurityHubClient,
  pacer: Pacer,
  scope: { region: string; accountId: string },
): Promise<ExistingFindings> {
  const byTableArn = new Map<string, AwsSecurityFinding>();
  try {
    const pages = paginateGetFindings(
      { client, pageSize: GET_FINDINGS_PAGE_SIZE },
      {
        Filters: {
          GeneratorId: equals(GENERATOR_ID),
          ProductArn: equals(defaultProductArn(scope.region, scope.accountId)),
          AwsAccountId: equals(scope.accountId),
          Region: equals(scope.region),
          RecordState: equals('ACTIVE'),
        },
        MaxResults: GET_FINDINGS_PAGE_SIZE,
      },
    );
    for await (const page of paced(pacer, pages, (p) => p.NextToken)) {
      for (const finding of page.Findings ?? []) {
        const tableArn = tableArnOf(finding);
        if (tableArn) byTableArn.set(tableArn, finding);
      }
    }
  } catch (error) {
    if (error instanceof InvalidAccessException) return { kind: 'notEnabled', message: describeError(error) };
    return { kind: 'failed', error: describeError(error) };
  }
  return { kind: 'read', byTableArn };
}
