/** `--remediate`: preview the backups, ask (or refuse), then create them with the Lambda's remediation core. */
import { planRemediation, resultsInEventOrder } from '../lambda/remediate/event';
import { RemediationDeps, remediateTables } from '../lambda/remediate/remediate';
import { backupName } from '../lambda/shared/backup-name';
import { AuditReport, RemediationResult } from '../lambda/shared/types';
import { Writable } from './progress';

export interface RemediationIo {
  stderr: Writable;
  /** Both stdin and stderr are terminals: a person can answer. */
  interactive: boolean;
  ask(question: string): Promise<string>;
}

export type RemediationOutcome =
  | { kind: 'nothingToDo' }
  | { kind: 'declined' }
  | { kind: 'refused'; message: string }
  | { kind: 'done'; results: RemediationResult[] };

export async function remediateFromCli(
  env: Pick<RemediationDeps, 'dynamodbFor' | 'rates'>,
  io: RemediationIo,
  reports: AuditReport[],
  confirmed: boolean,
  now: Date,
): Promise<RemediationOutcome> {
  const targets = reports.flatMap((r) => r.findings.filter((f) => f.status === 'NON_COMPLIANT'));
  if (targets.length === 0) return { kind: 'nothingToDo' };
  const noun = targets.length === 1 ? 'backup' : 'backups';
  io.stderr.write(`\nWould create ${targets.length} on-demand ${noun}:\n`);
  const accounts = [...new Set(reports.map((r) => r.accountId))];
  for (const f of targets) {
    const account = accounts.length > 1 ? `${f.tableArn.split(':')[4]}  ` : '';
    io.stderr.write(`  ${account}${f.region}  ${f.tableName}  ->  ${backupName(f.tableName, now)}\n`);
  }
  if (!confirmed) {
    if (!io.interactive) {
      return {
        kind: 'refused',
        message:
          'Refusing to create backups without confirmation: not running on a terminal. Pass --yes to confirm.',
      };
    }
    const answer = (await io.ask(`Create ${targets.length} ${noun}? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return { kind: 'declined' };
  }
  const [first] = reports;
  const plan = planRemediation(
    { tables: targets.map((f) => ({ tableArn: f.tableArn })) },
    {
      accountId: first?.accountId ?? '',
      homeRegion: first?.region ?? '',
      auditRegions: { kind: 'list', regions: reports.map((r) => r.region) },
      auditAccounts: { kind: 'list', accountIds: accounts },
    },
  );
  const created = await remediateTables(
    {
      dynamodbFor: env.dynamodbFor,
      logger: {
        info: () => undefined,
        warn: (m) => io.stderr.write(`warning: ${m}\n`),
        error: () => undefined,
      },
      rates: env.rates,
      now: () => now, // the names shown above are the names created
    },
    plan.accepted,
  );
  return { kind: 'done', results: resultsInEventOrder(plan, created) };
}
