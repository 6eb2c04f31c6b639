/**
 * Paced listings ask the pacer for a slot only for a request that reaches AWS: a listing's last page
 * ends it, so a one-page listing (every per-table look-up) costs one pacing interval, not two.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LIST_BACKUPS_PAGE_SIZE, paginateListBackups } from '../lambda/shared/listing/list-backups';
import { createPacer, paced, Pacer } from '../lambda/shared/pacing';
import { SimulatedAccount } from '../sim';

const REGION = 'eu-west-1';

/** An unlimited pacer that counts the slots it hands out. */
function countingPacer(): { pacer: Pacer; slots: () => number } {
  const inner = createPacer(Infinity, 1);
  let slots = 0;
  return {
    pacer: {
      run: (task) => {
        slots++;
        return inner.run(task);
      },
    },
    slots: () => slots,
  };
}

async function listBackupsOf(sim: SimulatedAccount, pacer: Pacer, tableName: string): Promise<number> {
  const client = sim.client(DynamoDBClient, { region: REGION, maxAttempts: 1 });
  const pages = paginateListBackups(
    { client, pageSize: LIST_BACKUPS_PAGE_SIZE },
    { TableName: tableName, BackupType: 'ALL' },
  );
  let backups = 0;
  for await (const page of paced(pacer, pages, (p) => p.LastEvaluatedBackupArn)) {
    backups += page.BackupSummaries?.length ?? 0;
  }
  return backups;
}

describe('paced listings', () => {
  it.each([
    [0, 1],
    [1, 1],
    [100, 2], // a full page carries a token; the next, empty, page ends the listing
    [250, 3],
  ])('a table with %i backups is listed with %i paced call(s), one slot each', async (count, calls) => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    for (let i = 0; i < count; i++) {
      sim.addNativeBackup(REGION, 'orders', {
        status: 'AVAILABLE',
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      });
    }
    const { pacer, slots } = countingPacer();

    const listed = await listBackupsOf(sim, pacer, 'orders');

    expect(listed).toBe(count);
    expect(sim.callCount('ListBackups', REGION)).toBe(calls);
    expect(slots()).toBe(calls);
  });
});
