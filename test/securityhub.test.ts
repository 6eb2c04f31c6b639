import {
  AccessDeniedException,
  AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { createPacer, UNLIMITED_RATES } from '../lambda/shared/pacing';
import { toArchived, toAsff } from '../lambda/shared/securityhub/asff';
import { readExistingFindings } from '../lambda/shared/securityhub/existing-findings';
import { importFindings } from '../lambda/shared/securityhub/importer';
import { securityHubNote, syncSecurityHub } from '../lambda/shared/securityhub/sync';
import { AuditReport, Finding, Status } from '../lambda/shared/types';

const securityhub = mockClient(SecurityHubClient);
const client = () => new SecurityHubClient({ region: 'eu-west-1' });
const unpaced = () => createPacer(UNLIMITED_RATES.securityHubImportPerSecond, 1);
const ACCOUNT = '123456789012';
const AUDITED_AT = '2026-11-28T06:00:05.000Z';
const PRODUCT = `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`;
const arnOf = (name: string) => `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${name}`;

function finding(tableName: string, status: Status = 'COMPLIANT', extra: Partial<Finding> = {}): Finding {
  const reasons: Record<Status, string> = {
    COMPLIANT: 'Has a usable backup: native AVAILABLE backup of 2026-11-27T00:00:00.000Z.',
    NON_COMPLIANT: 'No backup at all: no native backup and no AWS Backup recovery point.',
    ERROR: 'Could not be evaluated: AccessDeniedException: not authorized to list recovery points.',
    EXEMPT: 'Exempt until 2027-01-31: migration in progress',
  };
  return {
    ruleId: 'DynamoDB-005',
    region: 'eu-west-1',
    tableName,
    tableArn: arnOf(tableName),
    status,
    reason: reasons[status],
    ...extra,
  };
}

function report(findings: Finding[]): AuditReport {
  return {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    startedAt: '2026-11-28T06:00:00.000Z',
    finishedAt: AUDITED_AT,
    summary: { tables: findings.length, compliant: 0, nonCompliant: 0, errors: 0, exempt: 0 },
    findings,
    remediationRequested: 0,
  };
}

const importedBatches = () =>
  securityhub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);

beforeEach(() => {
  securityhub.reset();
  securityhub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({
    FailedCount: 0,
    SuccessCount: input.Findings.length,
    FailedFindings: [],
  }));
  securityhub.on(GetFindingsCommand).resolves({ Findings: [] });
});

describe('ASFF mapping', () => {
  it('maps a NON_COMPLIANT table to exactly the contract’s ASFF finding', () => {
    expect(toAsff(finding('orders', 'NON_COMPLIANT'), { accountId: ACCOUNT, auditedAt: AUDITED_AT })).toEqual(
      {
        SchemaVersion: '2018-10-08',
        Id: `${arnOf('orders')}/DynamoDB-005`,
        ProductArn: PRODUCT,
        GeneratorId: 'DynamoDB-005',
        AwsAccountId: ACCOUNT,
        Types: ['Software and Configuration Checks/AWS Security Best Practices'],
        CreatedAt: AUDITED_AT,
        UpdatedAt: AUDITED_AT,
        Severity: { Label: 'HIGH' },
        FindingProviderFields: {
          Severity: { Label: 'HIGH' },
          Types: ['Software and Configuration Checks/AWS Security Best Practices'],
        },
        Title: 'DynamoDB-005: DynamoDB table orders has no usable backup',
        Description: 'No backup at all: no native backup and no AWS Backup recovery point.',
        Resources: [{ Type: 'AwsDynamoDbTable', Id: arnOf('orders'), Partition: 'aws', Region: 'eu-west-1' }],
        Compliance: {
          Status: 'FAILED',
          StatusReasons: [
            {
              ReasonCode: 'NO_BACKUP',
              Description: 'No backup at all: no native backup and no AWS Backup recovery point.',
            },
          ],
        },
        RecordState: 'ACTIVE',
      },
    );
  });

  it.each([
    ['COMPLIANT', 'PASSED', 'INFORMATIONAL', 'USABLE_BACKUP'],
    ['NON_COMPLIANT', 'FAILED', 'HIGH', 'NO_BACKUP'],
    ['ERROR', 'NOT_AVAILABLE', 'MEDIUM', 'NOT_EVALUATED'],
    ['EXEMPT', 'WARNING', 'LOW', 'EXEMPT'],
  ] as const)(
    'maps %s to compliance %s and severity %s, with the reason',
    (status, compliance, severity, code) => {
      const f = finding('orders', status);

      const asff = toAsff(f, { accountId: ACCOUNT, auditedAt: AUDITED_AT });

      expect(asff.Compliance).toEqual({
        Status: compliance,
        StatusReasons: [{ ReasonCode: code, Description: f.reason }],
      });
      expect(asff.Severity).toEqual({ Label: severity });
      expect(asff.FindingProviderFields?.Severity).toEqual({ Label: severity });
      expect(asff.Description).toBe(f.reason);
    },
  );

  it('puts the reason of an exemption in Compliance.StatusReasons', () => {
    const asff = toAsff(finding('legacy', 'EXEMPT', { exemptUntil: '2027-01-31' }), {
      accountId: ACCOUNT,
      auditedAt: AUDITED_AT,
    });
    expect(asff.Compliance?.StatusReasons?.[0]?.Description).toBe(
      'Exempt until 2027-01-31: migration in progress',
    );
  });

  it('keeps the CreatedAt of a finding Security Hub already has', () => {
    const asff = toAsff(finding('orders'), {
      accountId: ACCOUNT,
      auditedAt: AUDITED_AT,
      createdAt: '2026-10-01T06:00:00.000Z',
    });
    expect([asff.CreatedAt, asff.UpdatedAt]).toEqual(['2026-10-01T06:00:00.000Z', AUDITED_AT]);
  });

  it('uses the table’s partition for the product and the resource', () => {
    const f: Finding = {
      ...finding('orders'),
      region: 'cn-north-1',
      tableArn: `arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/orders`,
    };
    const asff = toAsff(f, { accountId: ACCOUNT, auditedAt: AUDITED_AT });
    expect(asff.ProductArn).toBe(`arn:aws-cn:securityhub:cn-north-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    expect(asff.Resources?.[0]).toMatchObject({ Partition: 'aws-cn', Region: 'cn-north-1' });
  });

  it('clips Title to 256 and Description to 1,024 characters', () => {
    const longName = 'a'.repeat(255);
    const asff = toAsff(finding(longName, 'ERROR', { reason: 'x'.repeat(5000) }), {
      accountId: ACCOUNT,
      auditedAt: AUDITED_AT,
    });
    expect([...(asff.Title ?? '')]).toHaveLength(256);
    expect([...(asff.Description ?? '')]).toHaveLength(1024);
    expect(asff.Id).toBe(`${arnOf(longName)}/DynamoDB-005`);
  });
});

describe('BatchImportFindings', () => {
  it('imports 250 findings in three calls of 100, 100 and 50', async () => {
    const findings = Array.from({ length: 250 }, (_, i) =>
      toAsff(finding(`table-${i}`), { accountId: ACCOUNT, auditedAt: AUDITED_AT }),
    );

    const result = await importFindings(client(), unpaced(), findings);

    expect(importedBatches().map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(importedBatches().flat()).toEqual(findings);
    expect(result).toMatchObject({ calls: 3, imported: 250, failed: 0 });
  });

  it('keeps under 10 calls a second with the default pacing', async () => {
    const findings = Array.from({ length: 400 }, (_, i) =>
      toAsff(finding(`table-${i}`), { accountId: ACCOUNT, auditedAt: AUDITED_AT }),
    );
    const started: number[] = [];
    securityhub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => {
      started.push(performance.now());
      return { FailedCount: 0, SuccessCount: input.Findings.length, FailedFindings: [] };
    });

    await importFindings(client(), createPacer(9, 1), findings);

    expect(started).toHaveLength(4);
    // Four calls at under 10 a second: the last starts at least 300 ms after the first.
    expect((started[3] ?? 0) - (started[0] ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('counts the findings Security Hub refuses and keeps them for the log, without failing', async () => {
    securityhub.on(BatchImportFindingsCommand).resolves({
      FailedCount: 2,
      SuccessCount: 1,
      FailedFindings: [
        { Id: 'a', ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' },
        { Id: 'b', ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' },
      ],
    });
    const findings = ['a', 'b', 'c'].map((n) =>
      toAsff(finding(n), { accountId: ACCOUNT, auditedAt: AUDITED_AT }),
    );

    const result = await importFindings(client(), unpaced(), findings);

    expect(result).toMatchObject({ calls: 1, imported: 1, failed: 2 });
    expect(result.failures.map((f) => f.Id)).toEqual(['a', 'b']);
    expect(result.notEnabled).toBeUndefined();
  });

  it('stops at the first batch when Security Hub is not enabled (every finding refused with InvalidAccess)', async () => {
    securityhub.on(BatchImportFindingsCommand).callsFake((input: { Findings: { Id: string }[] }) => ({
      FailedCount: input.Findings.length,
      SuccessCount: 0,
      FailedFindings: input.Findings.map((f) => ({
        Id: f.Id,
        ErrorCode: 'InvalidAccess',
        ErrorMessage: `Account ${ACCOUNT} is not subscribed to AWS Security Hub`,
      })),
    }));
    const findings = Array.from({ length: 150 }, (_, i) =>
      toAsff(finding(`t-${i}`), { accountId: ACCOUNT, auditedAt: AUDITED_AT }),
    );

    const result = await importFindings(client(), unpaced(), findings);

    expect(securityhub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(result).toMatchObject({ calls: 1, imported: 0, failed: 150 });
    expect(result.notEnabled).toMatch(/not subscribed to AWS Security Hub/);
  });

  it('stops when a call is denied, counting the rest as failed', async () => {
    securityhub
      .on(BatchImportFindingsCommand)
      .rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    const findings = Array.from({ length: 150 }, (_, i) =>
      toAsff(finding(`t-${i}`), { accountId: ACCOUNT, auditedAt: AUDITED_AT }),
    );

    const result = await importFindings(client(), unpaced(), findings);

    expect(securityhub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(result).toMatchObject({ calls: 1, imported: 0, failed: 150 });
    expect(result.error).toBe('AccessDeniedException: not authorized');
  });
});

describe('the findings already in Security Hub', () => {
  it('reads them with one paginated GetFindings filtered on this tool, account and region, ACTIVE only', async () => {
    const existing = (name: string) =>
      toAsff(finding(name), { accountId: ACCOUNT, auditedAt: '2026-11-01T06:00:00.000Z' });
    securityhub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [existing('a'), existing('b')], NextToken: 'page-2' })
      .resolvesOnce({ Findings: [existing('c')] });

    const result = await readExistingFindings(client(), unpaced(), {
      region: 'eu-west-1',
      accountId: ACCOUNT,
    });

    expect(securityhub).toHaveReceivedCommandTimes(GetFindingsCommand, 2);
    const eq = (Value: string) => [{ Value, Comparison: 'EQUALS' }];
    expect(securityhub).toHaveReceivedNthCommandWith(1, GetFindingsCommand, {
      Filters: {
        GeneratorId: eq('DynamoDB-005'),
        ProductArn: eq(PRODUCT),
        AwsAccountId: eq(ACCOUNT),
        Region: eq('eu-west-1'),
        RecordState: eq('ACTIVE'),
      },
      MaxResults: 100,
    });
    expect(securityhub).toHaveReceivedNthCommandWith(2, GetFindingsCommand, { NextToken: 'page-2' });
    expect(result.kind === 'read' && [...result.byTableArn.keys()]).toEqual(['a', 'b', 'c'].map(arnOf));
  });

  it('says when Security Hub is not enabled in the region', async () => {
    securityhub.on(GetFindingsCommand).rejects(
      new InvalidAccessException({
        message: `Account ${ACCOUNT} is not subscribed to AWS Security Hub`,
        $metadata: {},
      }),
    );

    const result = await readExistingFindings(client(), unpaced(), {
      region: 'eu-west-1',
      accountId: ACCOUNT,
    });

    expect(result).toEqual({
      kind: 'notEnabled',
      message: `InvalidAccessException: Account ${ACCOUNT} is not subscribed to AWS Security Hub`,
    });
  });
});

describe('one region’s findings in Security Hub', () => {
  const known = (name: string, createdAt = '2026-10-01T06:00:00.000Z'): AwsSecurityFinding => ({
    ...toAsff(finding(name, 'NON_COMPLIANT'), { accountId: ACCOUNT, auditedAt: '2026-11-27T06:00:00.000Z' }),
    CreatedAt: createdAt,
    ProductName: 'Default',
    CompanyName: 'Personal',
  });

  it('re-imports the finding of a table deleted since the last import as ARCHIVED, keeping its history', async () => {
    const existing = { kind: 'read' as const, byTableArn: new Map([[arnOf('gone'), known('gone')]]) };

    const outcome = await syncSecurityHub(client(), unpaced(), {
      report: report([finding('orders')]),
      tableListComplete: true,
      existing,
    });

    const sent = importedBatches().flat();
    expect(sent.map((f) => [f.Id, f.RecordState])).toEqual([
      [`${arnOf('orders')}/DynamoDB-005`, 'ACTIVE'],
      [`${arnOf('gone')}/DynamoDB-005`, 'ARCHIVED'],
    ]);
    expect(sent[1]).toEqual({ ...toArchived(known('gone'), AUDITED_AT) });
    expect(sent[1]).toMatchObject({
      CreatedAt: '2026-10-01T06:00:00.000Z',
      UpdatedAt: AUDITED_AT,
      Compliance: { Status: 'FAILED' },
    });
    expect(sent[1]).not.toHaveProperty('ProductName');
    expect(outcome).toMatchObject({ sent: 2, imported: 2, archived: 1, failed: 0, calls: 1 });
  });

  it('keeps the CreatedAt of tables it already reported', async () => {
    const existing = { kind: 'read' as const, byTableArn: new Map([[arnOf('orders'), known('orders')]]) };

    await syncSecurityHub(client(), unpaced(), {
      report: report([finding('orders'), finding('new-table')]),
      tableListComplete: true,
      existing,
    });

    expect(
      importedBatches()
        .flat()
        .map((f) => [f.Resources?.[0]?.Id, f.CreatedAt, f.UpdatedAt]),
    ).toEqual([
      [arnOf('orders'), '2026-10-01T06:00:00.000Z', AUDITED_AT],
      [arnOf('new-table'), AUDITED_AT, AUDITED_AT],
    ]);
  });

  it('archives nothing when the table list was cut short: the tables not listed may still exist', async () => {
    const existing = { kind: 'read' as const, byTableArn: new Map([[arnOf('unlisted'), known('unlisted')]]) };

    const outcome = await syncSecurityHub(client(), unpaced(), {
      report: report([finding('orders')]),
      tableListComplete: false,
      existing,
    });

    expect(
      importedBatches()
        .flat()
        .map((f) => f.RecordState),
    ).toEqual(['ACTIVE']);
    expect(outcome.archived).toBe(0);
    expect(securityHubNote(outcome, 'eu-west-1')).toBeUndefined(); // the digest warns about the list already
  });

  it('still imports the current findings when the existing ones could not be read, and says what was not archived', async () => {
    const outcome = await syncSecurityHub(client(), unpaced(), {
      report: report([finding('orders')]),
      tableListComplete: true,
      existing: { kind: 'failed', error: 'LimitExceededException: Rate exceeded' },
    });

    expect(outcome).toMatchObject({ imported: 1, archived: 0 });
    expect(securityHubNote(outcome, 'eu-west-1')).toBe(
      'Findings of deleted tables were not archived in Security Hub: existing findings could not be read (LimitExceededException: Rate exceeded).',
    );
  });

  it('imports nothing where Security Hub is not enabled, and says so in one line', async () => {
    const outcome = await syncSecurityHub(client(), unpaced(), {
      report: report([finding('orders'), finding('payments')]),
      tableListComplete: true,
      existing: { kind: 'notEnabled', message: 'InvalidAccessException: Account is not subscribed' },
    });

    expect(securityhub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
    expect(outcome).toMatchObject({ imported: 0, failed: 2 });
    expect(securityHubNote(outcome, 'eu-west-1')).toBe(
      'Security Hub is not enabled in eu-west-1 for this account, so no finding was imported ' +
        '(InvalidAccessException: Account is not subscribed). Enable Security Hub there, or update the stack ' +
        'with SecurityHubFindings=false.',
    );
  });

  it('has nothing to say when every finding was imported', async () => {
    const outcome = await syncSecurityHub(client(), unpaced(), {
      report: report([finding('orders')]),
      tableListComplete: true,
      existing: { kind: 'read', byTableArn: new Map() },
    });
    expect(securityHubNote(outcome, 'eu-west-1')).toBeUndefined();
  });
});
