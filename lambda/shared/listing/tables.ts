/** Every table name of a region: one ListTables call per 100 tables. */
import { DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { Budget, cancelledBy } from '../budget';

export interface TableListing {
  names: string[];
  /** False when the time budget ran out before the last page. */
  complete: boolean;
}

/** Throws when ListTables fails: without the table list the region cannot be audited at all. */
export async function listTableNames(dynamodb: DynamoDBClient, budget: Budget): Promise<TableListing> {
  const names: string[] = [];
  try {
    for await (const page of paginateListTables(
      { client: dynamodb, pageSize: 100 },
      { Limit: 100 },
      { abortSignal: budget.signal },
    )) {
      names.push(...(page.TableNames ?? []));
      if (page.LastEvaluatedTableName && budget.exhausted()) return { names, complete: false };
    }
  } catch (error) {
    if (cancelledBy(budget, error)) return { names, complete: false };
    throw error;
  }
  return { names, complete: true };
}
