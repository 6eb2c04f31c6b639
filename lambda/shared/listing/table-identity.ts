/**
 * The identity of the tables that exist now: DescribeTable's TableId and CreationDateTime, one call a
 * table, paced, inside the time budget. Asked only for the tables whose backups would otherwise make
 * them compliant (identity checks on).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Budget, cancelledBy } from '../budget';
import { describeError } from '../errors';
import { Pacer } from '../pacing';
import { TableIdentity } from '../rule';

/** By table name: its identity, or `undefined` when the budget ran out before it was described. */
export async function describeTableIdentities(
  dynamodb: DynamoDBClient,
  pacer: Pacer,
  budget: Budget,
  tableNames: string[],
): Promise<Map<string, TableIdentity | undefined>> {
  const identities = new Map<string, TableIdentity | undefined>();
  await Promise.all(
    tableNames.map((name) =>
      pacer.run(async () => {
        if (budget.exhausted()) return identities.set(name, undefined);
        try {
          const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }), {
            abortSignal: budget.signal,
          });
          if (!table?.TableId || !table.CreationDateTime) {
            return identities.set(name, { failed: 'DescribeTable returned no TableId or CreationDateTime' });
          }
          return identities.set(name, { tableId: table.TableId, createdAt: table.CreationDateTime });
        } catch (error) {
          if (cancelledBy(budget, error)) return identities.set(name, undefined);
          return identities.set(name, { failed: describeError(error) });
        }
      }),
    ),
  );
  return identities;
}
