import { parseCliArgs, UsageError } from '../cli/args';

describe('CLI arguments', () => {
  it('defaults to the configured region, automatic format and failing on non-compliant tables', () => {
    expect(parseCliArgs([])).toEqual({
      regions: undefined,
      onlyFailing: false,
      failOn: 'non-compliant',
      remediate: false,
      yes: false,
      demo: false,
      verbose: false,
      help: false,
      policy: { maxBackupAgeHours: 0, exemptPatterns: [], verifyTableIdentity: false },
      roleName: 'DynamoDbBackupAuditorMember',
    });
  });

  it('reads every option', () => {
    expect(
      parseCliArgs([
        '--regions',
        'us-east-1,eu-west-1',
        '--profile',
        'prod-audit',
        '--format',
        'csv',
        '--output',
        'report.csv',
        '--only',
        'failing',
        '--fail-on',
        'error',
        '--remediate',
        '--yes',
        '--verbose',
        '--max-age',
        '168',
        '--exempt',
        'dev-*,scratch',
        '--verify-identity',
        '--accounts',
        '111122223333,444455556666',
        '--role-name',
        'SecurityAudit',
      ]),
    ).toEqual({
      regions: ['us-east-1', 'eu-west-1'],
      profile: 'prod-audit',
      format: 'csv',
      output: 'report.csv',
      onlyFailing: true,
      failOn: 'error',
      remediate: true,
      yes: true,
      demo: false,
      verbose: true,
      help: false,
      policy: { maxBackupAgeHours: 168, exemptPatterns: ['dev-*', 'scratch'], verifyTableIdentity: true },
      accounts: ['111122223333', '444455556666'],
      roleName: 'SecurityAudit',
    });
  });

  it('accepts "all" regions and --regions=value syntax', () => {
    expect(parseCliArgs(['--regions=all']).regions).toBe('all');
    expect(parseCliArgs(['--regions', 'ALL']).regions).toBe('all');
  });

  it.each([
    [['--format', 'xml'], /--format must be one of table, json, csv, markdown/],
    [['--fail-on', 'warning'], /--fail-on must be one of/],
    [['--only', 'compliant'], /--only accepts only "failing"/],
    [['--max-age', 'soon'], /--max-age must be a whole number of hours from 0/],
    [['--max-age', '87601'], /--max-age must be a whole number of hours from 0/],
    [['--exempt', 'dev tables'], /--exempt: "dev tables" is not a table name/],
    [['--regions', 'us-east-1,mars-1'], /mars-1/],
    [['--regions', ','], /at least one region/],
    [['--yes'], /--yes only makes sense with --remediate/],
    [['--profile', 'bad profile'], /not a valid profile name/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
  ])('rejects %p with a clear usage error', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
