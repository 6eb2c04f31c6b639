/**
 * The audit policy as the rule applies it: backup age over both sources, identity against re-created
 * tables, exemptions from the configuration and from tags (ended, malformed, without a reason), and
 * how the policy settings are parsed.
 */
import {
  InvalidPolicyError,
  parseExemptPatterns,
  parseMaxBackupAgeHours,
  policyFromEnvironment,
} from '../lambda/shared/policy/audit-policy';
import {
  applyExemption,
  EXEMPT_REASON_TAG,
  EXEMPT_UNTIL_TAG,
  exemptionFromPattern,
  exemptionFromTags,
  isCalendarDate,
  patternMatcher,
} from '../lambda/shared/policy/exemptions';
import {
  BackupEvidence,
  causeOf,
  evaluate,
  RulePolicy,
  SourceResult,
  TableEvidence,
} from '../lambda/shared/rule';

const NOW = new Date('2026-11-28T06:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const listed = (...backups: BackupEvidence[]): SourceResult => ({ kind: 'listed', backups });
const native = (status: string, createdAt: Date, tableId = 'id-current'): BackupEvidence => ({
  source: 'native',
  status,
  createdAt,
  tableId,
});
const point = (status: string, createdAt: Date): BackupEvidence => ({
  source: 'awsBackup',
  status,
  createdAt,
});
const WEEK: RulePolicy = { maxBackupAgeHours: 168, now: NOW };

function table(nativeResult: SourceResult, awsBackup: SourceResult = listed()): TableEvidence {
  return {
    region: 'eu-west-1',
    tableName: 'orders',
    tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    native: nativeResult,
    awsBackup,
  };
}

describe('backup age (MaxBackupAgeHours)', () => {
  it('passes a table whose newest usable backup is within the limit', () => {
    const finding = evaluate(table(listed(native('AVAILABLE', daysAgo(2)))), WEEK);
    expect(finding.status).toBe('COMPLIANT');
  });

  it('fails a table whose only usable backup is too old, naming its age and the limit', () => {
    const finding = evaluate(table(listed(native('AVAILABLE', daysAgo(9)))), WEEK);
    expect(finding).toMatchObject({ status: 'NON_COMPLIANT', lastBackupAt: daysAgo(9).toISOString() });
    expect(finding.reason).toBe(
      `Newest usable backup is 9 days old (${daysAgo(9).toISOString()}); the limit is 168 hours.`,
    );
    expect(causeOf(finding)).toBe('tooOld');
  });

  it('passes a table whose native backup is too old but whose AWS Backup recovery point is fresh', () => {
    const finding = evaluate(
      table(listed(native('AVAILABLE', daysAgo(30))), listed(point('COMPLETED', daysAgo(1)))),
      WEEK,
    );
    expect(finding.status).toBe('COMPLIANT');
    expect(finding.reason).toMatch(/1 usable backup \(AWS Backup\)/);
    expect(finding.lastBackupAt).toBe(daysAgo(1).toISOString());
  });

  it('judges the newest of both sources when both are too old', () => {
    const finding = evaluate(
      table(listed(native('AVAILABLE', daysAgo(30))), listed(point('COMPLETED', daysAgo(10)))),
      WEEK,
    );
    expect(finding.reason).toMatch(/^Newest usable backup is 10 days old/);
  });

  it('accepts a two-year-old backup when the limit is 0 (any age), the rule as written', () => {
    expect(evaluate(table(listed(native('AVAILABLE', daysAgo(730))))).status).toBe('COMPLIANT');
  });

  it('reports an ERROR, not a stale table, when a source could not be read and the other is too old', () => {
    const finding = evaluate(
      table(listed(native('AVAILABLE', daysAgo(30))), { kind: 'failed', error: 'AccessDeniedException' }),
      WEEK,
    );
    expect(finding.status).toBe('ERROR');
  });
});

describe('table identity (VerifyTableIdentity)', () => {
  const recreated = { tableId: 'id-current', createdAt: daysAgo(3) };

  it('fails a re-created table whose only native backups are its predecessor’s, saying re-created', () => {
    const finding = evaluate({
      ...table(listed(native('AVAILABLE', daysAgo(5), 'id-old'))),
      identity: recreated,
    });
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toMatch(/re-created/);
    expect(causeOf(finding)).toBe('earlierTable');
  });

  it('fails a re-created table whose only recovery point predates its creation', () => {
    const finding = evaluate({
      ...table(listed(), listed(point('COMPLETED', daysAgo(4)))),
      identity: recreated,
    });
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toMatch(/re-created/);
  });

  it('passes a re-created table on its own backups, from either source', () => {
    expect(
      evaluate({ ...table(listed(native('AVAILABLE', daysAgo(1), 'id-current'))), identity: recreated })
        .status,
    ).toBe('COMPLIANT');
    expect(
      evaluate({
        ...table(listed(native('AVAILABLE', daysAgo(5), 'id-old')), listed(point('COMPLETED', daysAgo(2)))),
        identity: recreated,
      }).status,
    ).toBe('COMPLIANT');
  });

  it('counts every usable backup when identity checks are off (no identity known)', () => {
    expect(evaluate(table(listed(native('AVAILABLE', daysAgo(5), 'id-old')))).status).toBe('COMPLIANT');
  });

  it('reports ERROR when the table could not be described', () => {
    const finding = evaluate({
      ...table(listed(native('AVAILABLE', daysAgo(1)))),
      identity: { failed: 'AccessDeniedException: dynamodb:DescribeTable' },
    });
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('could not be described');
  });
});

describe('exemptions', () => {
  const nonCompliant = evaluate(table(listed()));
  const compliant = evaluate(table(listed(native('AVAILABLE', daysAgo(1)))));
  const today = '2026-11-28';

  it('makes a non-compliant table EXEMPT until the tag’s date, with the tag’s reason', () => {
    const exemption = exemptionFromTags(
      { [EXEMPT_REASON_TAG]: 'rebuilt nightly from S3', [EXEMPT_UNTIL_TAG]: '2027-01-31' },
      today,
    );
    expect(applyExemption(nonCompliant, exemption)).toMatchObject({
      status: 'EXEMPT',
      reason: 'Exempt until 2027-01-31: rebuilt nightly from S3',
      exemptUntil: '2027-01-31',
    });
  });

  it('exempts without an end date when the tag has none, and through the last exempt day itself', () => {
    expect(
      applyExemption(nonCompliant, exemptionFromTags({ [EXEMPT_REASON_TAG]: 'scratch' }, today)),
    ).toMatchObject({
      status: 'EXEMPT',
      reason: 'Exempt (no end date): scratch',
    });
    const lastDay = exemptionFromTags({ [EXEMPT_REASON_TAG]: 'x', [EXEMPT_UNTIL_TAG]: today }, today);
    expect(applyExemption(nonCompliant, lastDay).status).toBe('EXEMPT');
  });

  it('replaces an ERROR too, and leaves a compliant exempted table COMPLIANT', () => {
    const error = evaluate(table({ kind: 'failed', error: 'AccessDenied' }));
    expect(applyExemption(error, exemptionFromTags({ [EXEMPT_REASON_TAG]: 'dev' }, today)).status).toBe(
      'EXEMPT',
    );
    expect(applyExemption(compliant, exemptionFromTags({ [EXEMPT_REASON_TAG]: 'dev' }, today))).toEqual(
      compliant,
    );
  });

  it('evaluates a table whose exemption ended normally, and says it ended', () => {
    const ended = exemptionFromTags({ [EXEMPT_REASON_TAG]: 'x', [EXEMPT_UNTIL_TAG]: '2026-11-27' }, today);
    const finding = applyExemption(nonCompliant, ended);
    expect(finding.status).toBe('NON_COMPLIANT');
    expect(finding.reason).toMatch(/\(exemption ended 2026-11-27\)\.$/);
  });

  it.each(['soon', '2027-02-30', '31/01/2027', '2027-1-31'])(
    'evaluates a table whose end date %s is malformed normally, and says the tag is malformed',
    (value) => {
      const finding = applyExemption(
        nonCompliant,
        exemptionFromTags({ [EXEMPT_REASON_TAG]: 'x', [EXEMPT_UNTIL_TAG]: value }, today),
      );
      expect(finding.status).toBe('NON_COMPLIANT');
      expect(finding.reason).toContain(`tag ${EXEMPT_UNTIL_TAG} "${value}" is not a date YYYY-MM-DD`);
    },
  );

  it('gives no exemption to a table whose reason tag is empty, or that has only an end date', () => {
    expect(exemptionFromTags({ [EXEMPT_REASON_TAG]: '  ' }, today)).toBeUndefined();
    expect(exemptionFromTags({ [EXEMPT_UNTIL_TAG]: '2027-01-31' }, today)).toBeUndefined();
  });

  it('matches configured names and * globs, naming the pattern in the reason', () => {
    const match = patternMatcher(['dev-*', 'scratch', '*-tmp']);
    expect(['dev-orders', 'scratch', 'cache-tmp', 'orders', 'scratch2', 'dev'].map(match)).toEqual([
      'dev-*',
      'scratch',
      '*-tmp',
      undefined,
      undefined,
      undefined,
    ]);
    expect(applyExemption(nonCompliant, exemptionFromPattern('dev-*'))).toMatchObject({
      status: 'EXEMPT',
      reason: 'Exempt (no end date): listed in ExemptTables (`dev-*`)',
    });
    expect(patternMatcher(['a.b'])('aXb')).toBeUndefined(); // a dot is a dot, not a regex wildcard
  });

  it('knows a calendar date', () => {
    expect(['2027-01-31', '2028-02-29'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2027-02-29', '2027-13-01', 'tomorrow'].map(isCalendarDate)).toEqual([false, false, false]);
  });
});

describe('policy settings', () => {
  it('parses the maximum age, refusing anything but whole hours from 0 to 87,600', () => {
    expect(parseMaxBackupAgeHours('168', 'x')).toBe(168);
    expect(parseMaxBackupAgeHours('0', 'x')).toBe(0);
    for (const bad of ['soon', '-1', '1.5', '87601', '']) {
      expect(() => parseMaxBackupAgeHours(bad, '--max-age')).toThrow(InvalidPolicyError);
    }
    expect(() => parseMaxBackupAgeHours('soon', '--max-age')).toThrow(
      /--max-age must be a whole number of hours/,
    );
  });

  it('parses exempt patterns, refusing characters a table name cannot have', () => {
    expect(parseExemptPatterns(' dev-*, scratch ,,dev-*', 'x')).toEqual(['dev-*', 'scratch']);
    expect(() => parseExemptPatterns('dev tables', 'ExemptTables')).toThrow(
      /"dev tables" is not a table name/,
    );
  });

  it('reads the stack’s policy from the environment, the rule as written when unset', () => {
    expect(policyFromEnvironment({})).toEqual({
      maxBackupAgeHours: 0,
      exemptPatterns: [],
      verifyTableIdentity: false,
    });
    expect(
      policyFromEnvironment({
        MAX_BACKUP_AGE_HOURS: '24',
        EXEMPT_TABLES: 'dev-*',
        VERIFY_TABLE_IDENTITY: 'true',
      }),
    ).toEqual({ maxBackupAgeHours: 24, exemptPatterns: ['dev-*'], verifyTableIdentity: true });
    expect(() => policyFromEnvironment({ VERIFY_TABLE_IDENTITY: 'yes' })).toThrow(InvalidPolicyError);
  });
});
