/**
 * The naive per-table procedure the rule's CLI steps describe: list the tables, then for each table,
 * one after another, DescribeTable (for its ARN) and ListRecoveryPointsByResource. Two calls per table,
 * no client-side pacing: whatever goes faster than the account allows is throttled and retried by the SDK.
 * Judged with this project's rule, so only the calls differ from ours.
 */
import { paginateListRecoveryPointsByResource } from '@aws-sdk/client-backup';
import { DescribeTableCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { RegionClients } from '../lambda/shared/audit-region';
import { describeError } from '../lambda/shared/errors';
import { BackupEvidence, evaluate, SourceResult } from '../lambda/shared/rule';
import { Finding } from '../lambda/shared/types';

export async function naiveAudit(clients: RegionClients, region: string): Promise<Finding[]> {
  const names: string[] = [];
  for await (const page of paginateListTables({ client: clients.dynamodb }, {})) {
    names.push(...(page.TableNames ?? []));
  }

  const findings: Finding[] = [];
  for (const name of names) {
    let tableArn = '';
    let awsBackup: SourceResult;
    try {
      const described = await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
      tableArn = described.Table?.TableArn ?? '';
      awsBackup = await recoveryPoints(clients, tableArn);
    } catch (error) {
      awsBackup = { kind: 'failed', error: describeError(error) };
    }
    findings.push(evaluate({ region, tableName: name, tableArn, native: { kind: 'notNeeded' }, awsBackup }));
  }
  return findings;
}

async function recoveryPoints(clients: RegionClients, resourceArn: string): Promise<SourceResult> {
  const backups: BackupEvidence[] = [];
  for await (const page of paginateListRecoveryPointsByResource(
    { client: clients.backup },
    { ResourceArn: resourceArn },
  )) {
    for (const point of page.RecoveryPoints ?? []) {
      if (point.Status) backups.push({ source: 'awsBackup', status: point.Status });
    }
  }
  return { kind: 'listed', backups };
}
