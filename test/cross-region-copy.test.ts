/**
 * An AWS Backup copy stored in another region (a cross-region copy) counts for no region: the source
 * region's audit does not see it (it lives in another region's vault), and the vault region's audit
 * ignores it (its resource is a table of another region). Real SDK v3 clients on the simulated account.
 */
import { BackupClient, paginateListRecoveryPointsByBackupVault } from '@aws-sdk/client-backup';
import { collectFindings } from '../lambda/shared/audit-region';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { regionalClientFactory } from '../lambda/shared/clients';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { Finding } from '../lambda/shared/types';
import { buildScenario, SIM_CREDENTIALS, SimulatedAccount } from '../sim';

const SOURCE = 'us-east-1';
const COPY = 'eu-west-1';

function audit(sim: SimulatedAccount, region: string) {
  const clientsFor = regionalClientFactory({ credentials: SIM_CREDENTIALS }, (client) => sim.attach(client));
  return collectFindings(clientsFor(region), {
    region,
    accountId: sim.accountId,
    rates: UNLIMITED_RATES,
    budget: UNLIMITED_BUDGET,
  });
}

/** ResourceArns of the recovery points in `region`'s vault `vault`. */
async function resourcesInVault(sim: SimulatedAccount, region: string, vault = 'Default'): Promise<string[]> {
  const backup = sim.client(BackupClient, { region, credentials: SIM_CREDENTIALS });
  const arns: string[] = [];
  for await (const page of paginateListRecoveryPointsByBackupVault(
    { client: backup },
    { BackupVaultName: vault },
  )) {
    arns.push(...(page.RecoveryPoints ?? []).flatMap((p) => (p.ResourceArn ? [p.ResourceArn] : [])));
  }
  return arns;
}

/**
 * `orders` in SOURCE whose only backup is a COMPLETED copy in COPY's vault; an `orders` of COPY's own
 * with no backup; in each region `payments`, covered by a recovery point of its own region (the
 * control: the audit does read AWS Backup); and `extraTables` tables without any backup in each region.
 */
function accountWithCopy(extraTables: number): SimulatedAccount {
  const sim = new SimulatedAccount();
  for (const region of [SOURCE, COPY]) {
    sim.addTable(region, 'orders');
    sim.addTable(region, 'payments');
    sim.addRecoveryPoint(region, 'payments', { status: 'COMPLETED' });
    for (let i = 0; i < extraTables; i++) sim.addTable(region, `sessions-${i}`);
  }
  sim.addRecoveryPoint(SOURCE, 'orders', { status: 'COMPLETED', vaultRegion: COPY });
  return sim;
}

describe('a cross-region copy', () => {
  it.each([
    // Fewer than 3 tables to look up: the audit asks ListRecoveryPointsByResource table by table.
    ['looks recovery points up table by table', 0, 'perTable'],
    // More tables than vault pages: the audit reads the region's vaults instead.
    ['reads the vaults', 5, 'vaults'],
  ] as const)(
    'leaves a table whose only usable backup is a copy in another region NON_COMPLIANT in both regions, when the audit %s',
    async (_, extraTables, strategy) => {
      const sim = accountWithCopy(extraTables);
      const sourceOrders = sim.tableArn(SOURCE, 'orders');

      const source = await audit(sim, SOURCE);
      const copy = await audit(sim, COPY);

      // The copy is there: in COPY's vault, naming SOURCE's table.
      expect(await resourcesInVault(sim, COPY)).toContain(sourceOrders);
      expect(await resourcesInVault(sim, SOURCE)).not.toContain(sourceOrders);
      expect([source.recoveryPointStrategy, copy.recoveryPointStrategy]).toEqual([strategy, strategy]);

      const byName = (findings: Finding[], name: string) => findings.find((f) => f.tableName === name);
      expect(byName(source.findings, 'orders')).toMatchObject({
        tableArn: sourceOrders,
        status: 'NON_COMPLIANT',
        reason: expect.stringMatching(/^No backup at all/),
      });
      expect(byName(copy.findings, 'orders')).toMatchObject({
        tableArn: sim.tableArn(COPY, 'orders'),
        status: 'NON_COMPLIANT',
        reason: expect.stringMatching(/^No backup at all/),
      });
      expect(byName(source.findings, 'payments')?.status).toBe('COMPLIANT');
      expect(byName(copy.findings, 'payments')?.status).toBe('COMPLIANT');
      expect(copy.findings.map((f) => f.tableArn)).not.toContain(sourceOrders);
      expect(sim.expectedStatus(SOURCE, 'orders')).toBe('NON_COMPLIANT');
    },
  );

  it('leaves each region of a two-region scenario with cross-region copies judged on its own tables and backups', async () => {
    const sim = buildScenario({
      regions: [SOURCE, COPY],
      tablesPerRegion: 60,
      seed: 7,
      now: new Date('2026-11-28T06:00:00Z'),
      crossRegionCopies: 1,
    });
    const copiesOfSource = (await resourcesInVault(sim, COPY)).filter((arn) => arn.includes(`:${SOURCE}:`));

    for (const region of [SOURCE, COPY]) {
      const { findings } = await audit(sim, region);

      expect(findings.map((f) => f.tableArn)).toEqual(
        sim.tableNames(region).map((n) => sim.tableArn(region, n)),
      );
      expect(Object.fromEntries(findings.map((f) => [f.tableName, f.status]))).toEqual(
        sim.expectedStatuses(region),
      );
    }
    expect(copiesOfSource.length).toBeGreaterThan(0);
  });
});
