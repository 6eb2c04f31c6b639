/** Every table name of a region: one ListTables call per 100 tables. */
import { DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { Budget } from '../budget';

export interface TableListing {
  names: string[];
  /** False when the time budget ran out before the last page. */
  complete: boolean;
}

/** Throws when ListTables fails: without the table list the region cannot be audited at all. */
export async function listTableNames(dynamodb: DynamoDBClient, budget: Budget): Promise<TableListing> {
  const names: string[] = [];
  for await (const page of paginateListTables({ client: dynamodb, pageSize: 100 }, { Limit: 100 })) {
    names.push(...(page.TableNames ?? []));
    if (page.LastEvaluatedTableName && budget.exhausted()) return { names, complete: false };
  }
  return { names, complete: true };
}
