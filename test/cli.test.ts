import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  BackupClient,
  ListBackupVaultsCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import {
  CreateBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { CliEnvironment, CredentialError } from '../cli/environment';
import { CliIo, runCli } from '../cli/run';
import { AuditReport } from '../lambda/shared/types';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';

const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-28T09:30:00Z');

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
  files: Map<string, string>;
  ask: jest.Mock;
}

function capture(
  opts: { stdoutTTY?: boolean; stderrTTY?: boolean; stdinTTY?: boolean; answer?: string } = {},
): Captured {
  let out = '';
  let err = '';
  const files = new Map<string, string>();
  const ask = jest.fn(async () => opts.answer ?? '');
  return {
    io: {
      stdout: { write: (t: string) => (out += t), isTTY: opts.stdoutTTY ?? false },
      stderr: { write: (t: string) => (err += t), isTTY: opts.stderrTTY ?? false },
      stdinIsTTY: opts.stdinTTY ?? false,
      ask,
      writeFile: async (path, content) => {
        files.set(path, content);
      },
      now: () => NOW,
    },
    out: () => out,
    err: () => err,
    files,
    ask,
  };
}

function environment(overrides: Partial<CliEnvironment> = {}): CliEnvironment {
  return {
    label: 'test',
    accountId: async () => ACCOUNT,
    defaultRegions: async () => ['eu-west-1'],
    enabledRegions: async () => ['eu-west-1', 'us-east-1'],
    clientsFor: (region) => ({
      dynamodb: new DynamoDBClient({ region }),
      backup: new BackupClient({ region }),
      tagging: new ResourceGroupsTaggingAPIClient({ region }),
      securityhub: new SecurityHubClient({ region }),
    }),
    reportClient: () => new S3Client({ region: 'eu-west-1' }),
    organizationAccounts: async () => {
      throw new Error('this test audits one account');
    },
    memberAccounts: () => {
      throw new Error('this test audits one account');
    },
    rates: UNLIMITED_RATES,
    ...overrides,
  };
}

const run = (argv: string[], c: Captured, env = environment()) => runCli(argv, c.io, () => env);

/** orders: AVAILABLE backup; payments: none; broken: AWS Backup look-up denied. */
function account(opts: { broken?: boolean } = {}) {
  ddb
    .on(ListTablesCommand)
    .resolves({ TableNames: ['orders', 'payments', ...(opts.broken ? ['broken'] : [])] });
  ddb.on(ListBackupsCommand).resolves({
    BackupSummaries: [
      {
        TableName: 'orders',
        BackupStatus: 'AVAILABLE',
        BackupCreationDateTime: new Date('2026-11-27T00:00:00Z'),
      },
    ],
  });
  backup.on(ListRecoveryPointsByResourceCommand).callsFake((input: { ResourceArn: string }) => {
    if (input.ResourceArn.endsWith('/broken')) {
      throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    }
    return { RecoveryPoints: [] };
  });
}

beforeEach(() => {
  ddb.reset();
  backup.reset();
  tagging.reset();
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: '' });
  backup.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [] });
  ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  ddb.on(CreateBackupCommand).callsFake((input: { BackupName: string }) => ({
    BackupDetails: {
      BackupArn: `arn:backup/${input.BackupName}`,
      BackupName: input.BackupName,
      BackupStatus: 'CREATING',
    },
  }));
});

describe('CLI output', () => {
  it('prints the AuditReport array as JSON when piped, exiting 1 for a non-compliant table', async () => {
    account();
    const c = capture();

    const code = await run([], c);

    expect(code).toBe(1);
    const reports = JSON.parse(c.out()) as AuditReport[];
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      region: 'eu-west-1',
      accountId: ACCOUNT,
      summary: { tables: 2, compliant: 1, nonCompliant: 1, errors: 0 },
      remediationRequested: 0,
    });
    expect(reports[0]?.findings.map((f) => f.status)).toEqual(['COMPLIANT', 'NON_COMPLIANT']);
  });

  it('prints a readable table on a terminal, its backup times labelled UTC', async () => {
    account();
    const c = capture({ stdoutTTY: true });

    await run([], c);

    const lines = c.out().split('\n');
    expect(lines[0]).toMatch(/^REGION\s+TABLE\s+STATUS\s+LAST BACKUP \(UTC\)\s+EXEMPT UNTIL\s+REASON$/);
    expect(c.out()).toMatch(/eu-west-1\s+orders\s+COMPLIANT\s+2026-11-27 00:00:00\s+-\s+Has 1 usable backup/);
    expect(c.out()).toMatch(/eu-west-1\s+payments\s+NON_COMPLIANT\s+-\s+-\s+No backup at all/);
    expect(c.out()).toContain(
      'eu-west-1 (account 123456789012): 2 tables, 1 compliant, 1 non-compliant, 0 errors, 0 exempt',
    );
  });

  it('writes CSV with a header and one row per table, quoting commas', async () => {
    account();
    const c = capture();

    await run(['--format', 'csv'], c);

    const rows = c.out().trimEnd().split('\r\n');
    expect(rows[0]).toBe('accountId,region,tableName,status,reason,lastBackupAt,exemptUntil,tableArn');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBe(
      `${ACCOUNT},eu-west-1,orders,COMPLIANT,"Has 1 usable backup (native), newest from 2026-11-27T00:00:00.000Z.",` +
        `2026-11-27T00:00:00.000Z,,arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`,
    );
    expect(rows[2]).toBe(
      `${ACCOUNT},eu-west-1,payments,NON_COMPLIANT,No backup at all: no native on-demand backup and no AWS Backup recovery point.,,,arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/payments`,
    );
  });

  it('writes a Markdown section per region', async () => {
    account();
    const c = capture();

    await run(['--format', 'markdown'], c);

    expect(c.out()).toContain('## eu-west-1');
    expect(c.out()).toContain('| Table | Status | Reason | Last backup |');
    expect(c.out()).toContain('| `payments` | NON_COMPLIANT |');
  });

  it('writes the report to --output and nothing to stdout', async () => {
    account();
    const c = capture({ stdoutTTY: true });

    await run(['--output', 'report.json'], c);

    expect(c.out()).toBe('');
    expect(JSON.parse(c.files.get('report.json') ?? '')).toHaveLength(1);
  });

  it('shows only failing tables with --only failing, keeping the summary', async () => {
    account();
    const c = capture();

    await run(['--only', 'failing'], c);

    const [report] = JSON.parse(c.out()) as AuditReport[];
    expect(report?.findings.map((f) => f.tableName)).toEqual(['payments']);
    expect(report?.summary.tables).toBe(2);
  });

  it('audits every enabled region with --regions all', async () => {
    account();
    const c = capture();

    await run(['--regions', 'all'], c);

    expect((JSON.parse(c.out()) as AuditReport[]).map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1']);
  });
});

describe('CLI exit codes', () => {
  it('exits 0 when every table is compliant', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
    ddb
      .on(ListBackupsCommand)
      .resolves({ BackupSummaries: [{ TableName: 'orders', BackupStatus: 'AVAILABLE' }] });
    expect(await run([], capture())).toBe(0);
  });

  it('exits 0 for non-compliant tables with --fail-on error, and 1 once a table is ERROR', async () => {
    account();
    expect(await run(['--fail-on', 'error'], capture())).toBe(0);
    account({ broken: true });
    expect(await run(['--fail-on', 'error'], capture())).toBe(1);
  });

  it('exits 0 whatever it finds with --fail-on never', async () => {
    account({ broken: true });
    expect(await run(['--fail-on', 'never'], capture())).toBe(0);
  });

  it('exits 2 with one clear line and no stack trace on a credential error', async () => {
    const c = capture();
    const env = environment({
      accountId: async () => {
        throw new CredentialError(
          'Could not use your AWS credentials: Could not load credentials from any providers',
        );
      },
    });

    const code = await run([], c, env);

    expect(code).toBe(2);
    expect(c.err()).toBe(
      'dynamodb-backup-audit: Could not use your AWS credentials: Could not load credentials from any providers\n',
    );
    expect(ddb.calls()).toHaveLength(0);
  });

  it('adds the stack trace with --verbose', async () => {
    const c = capture();
    const env = environment({
      accountId: async () => {
        throw new Error('boom');
      },
    });
    expect(await run(['--verbose'], c, env)).toBe(2);
    expect(c.err()).toMatch(/Unexpected error: boom\n.*at /s);
  });

  it('exits 2 on a usage error and when no region is configured', async () => {
    const usage = capture();
    expect(await run(['--format', 'xml'], usage)).toBe(2);
    expect(usage.err()).toMatch(/--format must be one of .* \(see --help\)\n$/);

    const noRegion = capture();
    expect(await run([], noRegion, environment({ defaultRegions: async () => [] }))).toBe(2);
    expect(noRegion.err()).toContain('No region configured');
  });

  it('reports a region whose tables cannot be listed and exits 1', async () => {
    ddb
      .on(ListTablesCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const c = capture();
    expect(await run([], c)).toBe(1);
    expect(c.err()).toContain(
      'eu-west-1: audit failed, its tables could not be listed: AccessDeniedException',
    );
  });

  it('prints usage with --help and exits 0', async () => {
    const c = capture();
    expect(await run(['--help'], c)).toBe(0);
    expect(c.out()).toContain('Usage: dynamodb-backup-audit');
  });
});

describe('CLI progress', () => {
  it('shows per-region progress on a terminal', async () => {
    account();
    const c = capture({ stderrTTY: true });
    await run([], c);
    expect(c.err()).toContain('eu-west-1: 2 tables listed');
    expect(c.err()).toContain('eu-west-1: 2 tables evaluated');
  });

  it('prints only the summary line per region when stderr is not a terminal', async () => {
    account();
    const c = capture({ stderrTTY: false });
    await run([], c);
    expect(c.err()).toBe('eu-west-1: 2 tables, 1 compliant, 1 non-compliant, 0 errors, 0 exempt\n');
  });
});

describe('CLI remediation', () => {
  it('refuses to create backups without a terminal and without --yes', async () => {
    account();
    const c = capture();

    const code = await run(['--remediate'], c);

    expect(code).toBe(2);
    expect(c.err()).toContain('payments  ->  payments-autobackup-20261128T093000Z');
    expect(c.err()).toContain('Refusing to create backups without confirmation');
    expect(ddb).not.toHaveReceivedCommand(CreateBackupCommand);
  });

  it('asks on a terminal and creates nothing when the answer is no', async () => {
    account();
    const c = capture({ stdinTTY: true, stderrTTY: true, answer: 'n' });

    await run(['--remediate'], c);

    expect(c.ask).toHaveBeenCalledWith('Create 1 backup? [y/N] ');
    expect(c.err()).toContain('Would create 1 on-demand backup:');
    expect(c.err()).toContain('No backup created.');
    expect(ddb).not.toHaveReceivedCommand(CreateBackupCommand);
  });

  it('asks in the plural for several backups', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['payments', 'refunds'] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
    const c = capture({ stdinTTY: true, stderrTTY: true, answer: 'n' });

    await run(['--remediate'], c);

    expect(c.err()).toContain('Would create 2 on-demand backups:');
    expect(c.ask).toHaveBeenCalledWith('Create 2 backups? [y/N] ');
  });

  it('creates the backups it showed once the user confirms', async () => {
    account();
    const c = capture({ stdinTTY: true, stderrTTY: true, answer: 'y' });

    await run(['--remediate'], c);

    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(CreateBackupCommand, {
      TableName: 'payments',
      BackupName: 'payments-autobackup-20261128T093000Z',
    });
    expect(c.err()).toContain(
      'CREATED  arn:aws:dynamodb:eu-west-1:123456789012:table/payments -> payments-autobackup-20261128T093000Z',
    );
  });

  it('creates without asking with --yes, even when not on a terminal, and never remediates ERROR tables', async () => {
    account({ broken: true });
    const c = capture();

    await run(['--remediate', '--yes'], c);

    expect(c.ask).not.toHaveBeenCalled();
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
    expect(ddb).not.toHaveReceivedCommandWith(CreateBackupCommand, { TableName: 'broken' });
  });

  it('skips a table it already backed up within the hour, as the Lambda does', async () => {
    account();
    ddb.on(ListBackupsCommand, { BackupType: 'USER' }).resolves({
      BackupSummaries: [
        {
          TableName: 'payments',
          BackupName: 'payments-autobackup-20261128T090000Z',
          BackupStatus: 'CREATING',
        },
      ],
    });
    const c = capture();

    await run(['--remediate', '--yes'], c);

    expect(ddb).not.toHaveReceivedCommand(CreateBackupCommand);
    expect(c.err()).toMatch(/SKIPPED .*payments.*already backed up by this tool/);
  });

  it.each([['never'], ['error']])(
    'exits 1 and names the table when a backup fails, even with --fail-on %s',
    async (failOn) => {
      account();
      ddb
        .on(CreateBackupCommand, { TableName: 'payments' })
        .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      const c = capture();

      const code = await run(['--remediate', '--yes', '--fail-on', failOn], c);

      expect(code).toBe(1);
      expect(c.err()).toMatch(
        /^remediation FAILED for table payments in eu-west-1: CreateBackup failed: AccessDeniedException.*$/m,
      );
    },
  );

  it('keeps --fail-on never when every backup was created', async () => {
    account();
    const c = capture();

    const code = await run(['--remediate', '--yes', '--fail-on', 'never'], c);

    expect(code).toBe(0);
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
    expect(c.err()).not.toContain('remediation FAILED');
  });
});

describe('CLI CSV', () => {
  it('prints a table name that starts with "-" unchanged, in its name and its ARN', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['-orders'] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
    const c = capture();

    await run(['--format', 'csv'], c);

    const [, row] = c.out().split('\r\n');
    expect(row?.split(',')).toEqual([
      ACCOUNT,
      'eu-west-1',
      '-orders',
      'NON_COMPLIANT',
      'No backup at all: no native on-demand backup and no AWS Backup recovery point.',
      '',
      '',
      `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/-orders`,
    ]);
  });
});

describe('CLI audit policy', () => {
  const scratchTags = (until: string) =>
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        {
          ResourceARN: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/payments`,
          Tags: [
            { Key: 'dynamodb-005:exempt-reason', Value: 'scratch space' },
            { Key: 'dynamodb-005:exempt-until', Value: until },
          ],
        },
      ],
      PaginationToken: '',
    });

  it('refuses a malformed --max-age with one line and exit 2, before any AWS call', async () => {
    const c = capture();

    const code = await run(['--max-age', 'soon'], c);

    expect(code).toBe(2);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.err()).toMatch(/--max-age must be a whole number of hours/);
    expect(ddb.calls()).toHaveLength(0);
    expect(tagging.calls()).toHaveLength(0);
  });

  it('shows a tag-exempted table as EXEMPT with its end date in every format, and does not fail on it', async () => {
    account();
    scratchTags('2099-01-31');

    for (const format of ['json', 'csv', 'markdown', 'table']) {
      const c = capture();
      const code = await run(['--format', format], c);

      expect([format, code]).toEqual([format, 0]);
      expect(c.out()).toContain('EXEMPT');
      expect(c.out()).toContain('2099-01-31');
    }
    const c = capture();
    await run(['--format', 'json'], c);
    const [report] = JSON.parse(c.out()) as AuditReport[];
    expect(report?.summary).toMatchObject({ compliant: 1, nonCompliant: 0, exempt: 1 });
    expect(report?.findings.find((f) => f.tableName === 'payments')).toMatchObject({
      status: 'EXEMPT',
      exemptUntil: '2099-01-31',
      reason: 'Exempt until 2099-01-31: scratch space',
    });
  });

  it('exempts tables named by --exempt, and leaves them out of --only failing', async () => {
    account();
    const c = capture();

    const code = await run(['--exempt', 'pay*', '--only', 'failing', '--format', 'json'], c);

    expect(code).toBe(0);
    expect((JSON.parse(c.out()) as AuditReport[])[0]?.findings).toEqual([]);
    expect(c.err()).toContain('0 non-compliant, 0 errors, 1 exempt');
  });

  it('fails a table whose backup is older than --max-age', async () => {
    account();
    const c = capture();

    const code = await run(['--max-age', '1', '--format', 'json'], c);

    expect(code).toBe(1);
    const orders = (JSON.parse(c.out()) as AuditReport[])[0]?.findings.find((f) => f.tableName === 'orders');
    expect(orders?.status).toBe('NON_COMPLIANT');
    expect(orders?.reason).toMatch(/the limit is 1 hour\./);
  });
});
