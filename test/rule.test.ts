import { BackupEvidence, evaluate, SourceResult, TableEvidence } from '../lambda/shared/rule';

const listed = (...backups: BackupEvidence[]): SourceResult => ({ kind: 'listed', backups });
const native = (status: string, createdAt?: string): BackupEvidence => ({
  source: 'native',
  status,
  ...(createdAt ? { createdAt: new Date(createdAt) } : {}),
});
const point = (status: string, createdAt?: string): BackupEvidence => ({
  source: 'awsBackup',
  status,
  ...(createdAt ? { createdAt: new Date(createdAt) } : {}),
});

function table(nativeResult: SourceResult, awsBackup: SourceResult = listed()): TableEvidence {
  return {
    region: 'eu-west-1',
    tableName: 'orders',
    tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    native: nativeResult,
    awsBackup,
  };
}

describe('rule DynamoDB-005', () => {
  it('reports a table with no backup at all as non-compliant, saying so', () => {
    const finding = evaluate(table(listed(), listed()));
    expect(finding).toMatchObject({ ruleId: 'DynamoDB-005', status: 'NON_COMPLIANT', tableName: 'orders' });
    expect(finding.reason).toMatch(/no backup at all/i);
    expect(finding.lastBackupAt).toBeUndefined();
  });

  it('reports a table with an AVAILABLE native backup as compliant with the backup time', () => {
    const finding = evaluate(
      table(listed(native('AVAILABLE', '2026-11-01T10:00:00Z')), { kind: 'notNeeded' }),
    );
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.lastBackupAt).toBe('2026-11-01T10:00:00.000Z');
  });

  it('reports a table whose only backups are CREATING or DELETED as non-compliant, naming the statuses', () => {
    const finding = evaluate(
      table(listed(native('CREATING'), native('DELETED'), native('DELETED')), listed()),
    );
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toContain('none usable');
    expect(finding.reason).toContain('CREATING ×1');
    expect(finding.reason).toContain('DELETED ×2');
  });

  it('reports a table covered only by a COMPLETED AWS Backup recovery point as compliant', () => {
    const finding = evaluate(table(listed(), listed(point('COMPLETED', '2026-11-20T00:00:00Z'))));
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toContain('AWS Backup');
    expect(finding.lastBackupAt).toBe('2026-11-20T00:00:00.000Z');
  });

  it('accepts an AVAILABLE recovery point as usable too', () => {
    expect(evaluate(table(listed(), listed(point('AVAILABLE')))).status).toBe('COMPLIANT');
  });

  it('reports a table whose recovery points are only PARTIAL or EXPIRED as non-compliant', () => {
    const finding = evaluate(table(listed(), listed(point('PARTIAL'), point('EXPIRED'))));
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toMatch(/AWS Backup EXPIRED ×1, PARTIAL ×1/);
  });

  it('judges a mix by its usable backups and reports the newest one', () => {
    const finding = evaluate(
      table(
        listed(native('DELETED', '2026-11-25T00:00:00Z'), native('AVAILABLE', '2026-10-01T00:00:00Z')),
        listed(point('PARTIAL', '2026-11-27T00:00:00Z'), point('COMPLETED', '2026-11-10T00:00:00Z')),
      ),
    );
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.lastBackupAt).toBe('2026-11-10T00:00:00.000Z');
    expect(finding.reason).toMatch(/2 usable backups \(native and AWS Backup\)/);
  });

  it('names unusable statuses of both sources in one reason', () => {
    const finding = evaluate(table(listed(native('CREATING')), listed(point('PARTIAL'))));
    expect(finding.reason).toBe('Has 2 backups but none usable: native CREATING ×1; AWS Backup PARTIAL ×1.');
  });

  it('reports ERROR, not non-compliant, when a source could not be read and nothing usable was seen', () => {
    const finding = evaluate(table(listed(), { kind: 'failed', error: 'AccessDeniedException: nope' }));
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('AccessDeniedException');
  });

  it('still reports compliant when one source failed but the other proves a usable backup', () => {
    const finding = evaluate(
      table({ kind: 'failed', error: 'ThrottlingException' }, listed(point('COMPLETED'))),
    );
    expect(finding.status).toBe('COMPLIANT');
  });

  it('reports a table the audit could not reach in time as ERROR with that reason', () => {
    const finding = evaluate({ ...table(listed()), notAudited: 'Not audited: time budget exhausted.' });
    expect(finding).toMatchObject({ status: 'ERROR', reason: 'Not audited: time budget exhausted.' });
  });
});
