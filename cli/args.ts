/** Command-line arguments of the local auditor, parsed with Node's own `util.parseArgs`. */
import { parseArgs } from 'node:util';
import {
  AuditPolicy,
  parseExemptPatterns,
  parseMaxBackupAgeHours,
} from '../lambda/shared/policy/audit-policy';
import { ACCOUNT_ID_PATTERN } from '../lambda/shared/org/audit-accounts';
import { DEFAULT_MEMBER_ROLE_NAME, ROLE_NAME_PATTERN } from '../lambda/shared/org/member-credentials';
import { assertRegionName } from '../lambda/shared/regions';
import { parseS3Uri, ReportLocation } from '../lambda/shared/reports/location';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['non-compliant', 'error', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CliOptions {
  /** Explicit regions, 'all', or undefined for the configured region. */
  regions: string[] | 'all' | undefined;
  profile?: string;
  /** Undefined: table on a terminal, JSON otherwise. */
  format?: Format;
  output?: string;
  /** `--output-s3 s3://bucket/prefix`: also write each region's report there, as the stack does. */
  outputS3?: ReportLocation;
  onlyFailing: boolean;
  failOn: FailOn;
  remediate: boolean;
  yes: boolean;
  demo: boolean;
  verbose: boolean;
  help: boolean;
  /** The audit policy (--max-age, --exempt, --verify-identity), as the stack's parameters. */
  policy: AuditPolicy;
  /** `--accounts`: undefined for your own account only. */
  accounts?: 'organization' | string[];
  /** `--role-name`: the role assumed in the other accounts. */
  roleName: string;
}

export const USAGE = `Usage: dynamodb-backup-audit [options]

Audits every DynamoDB table for rule DynamoDB-005 (a usable on-demand or AWS Backup backup) with
your current AWS credentials, and optionally creates the missing backups.

Options:
  --regions LIST|all     regions to audit: us-east-1,eu-west-1 or all enabled regions
                         (default: the configured region of your profile or AWS_REGION)
  --profile NAME         a profile of your shared AWS config/credentials files: its credentials
                         (not AWS_ACCESS_KEY_ID or AWS_PROFILE) and its region (else AWS_REGION)
  --format FORMAT        table | json | csv | markdown (default: table on a terminal, json when piped)
  --output FILE          write the report to FILE instead of standard output
  --output-s3 S3URI      also write each region's report to S3 as the stack does, under the
                         prefix of s3://bucket/prefix (findings/date=.../*.jsonl, reports/...)
  --only failing         show only NON_COMPLIANT and ERROR tables
  --max-age HOURS        the newest usable backup must be at most HOURS old (0: any age, the default)
  --exempt PATTERNS      table names and * globs exempt from the rule, comma-separated (dev-*,scratch);
                         tables tagged dynamodb-005:exempt-reason are exempt too
  --verify-identity      count a backup only if it was made of the table that exists now (one
                         DescribeTable per table that would pass)
  --accounts LIST        audit other accounts too: organization (every ACTIVE account of your AWS
                         Organization; run it in the management account or a delegated administrator)
                         or 12-digit account ids, comma-separated; other accounts are reached
                         through --role-name
  --role-name NAME       the role assumed in each other account (default: DynamoDbBackupAuditorMember)
  --fail-on LEVEL        exit 1 when findings reach LEVEL: non-compliant (NON_COMPLIANT or ERROR,
                         the default), error (ERROR only) or never; EXEMPT tables never fail
  --remediate            create an on-demand backup for each NON_COMPLIANT table (asks first)
  --yes                  with --remediate: do not ask (needed when not on a terminal)
  --demo                 run against a simulated account: no AWS account needed
  --verbose              stack traces on errors
  -h, --help             this help

Exit codes: 0 nothing at or above --fail-on, 1 findings at that level, a backup --remediate
could not create or a report --output-s3 could not write (whatever --fail-on says), 2 usage or
credential errors.`;

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  }
  return value as T;
}

export function parseCliArgs(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        regions: { type: 'string' },
        profile: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        'output-s3': { type: 'string' },
        only: { type: 'string' },
        'fail-on': { type: 'string' },
        remediate: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'max-age': { type: 'string' },
        exempt: { type: 'string' },
        'verify-identity': { type: 'boolean', default: false },
        accounts: { type: 'string' },
        'role-name': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.only !== undefined && values.only !== 'failing') {
    throw new UsageError(`--only accepts only "failing"; got "${values.only}"`);
  }
  if (values.yes && !values.remediate) throw new UsageError('--yes only makes sense with --remediate');
  if (values.profile !== undefined && !/^[\w.@+-]{1,128}$/.test(values.profile)) {
    throw new UsageError(`--profile "${values.profile}" is not a valid profile name`);
  }
  const format = oneOf('format', values.format, FORMATS);
  const policy = parsePolicy(values['max-age'], values.exempt, values['verify-identity']);
  const outputS3 = values['output-s3'] === undefined ? undefined : parseOutputS3(values['output-s3']);
  return {
    regions: parseRegions(values.regions),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(format ? { format } : {}),
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(outputS3 ? { outputS3 } : {}),
    onlyFailing: values.only === 'failing',
    failOn: oneOf('fail-on', values['fail-on'], FAIL_ON) ?? 'non-compliant',
    remediate: values.remediate,
    yes: values.yes,
    demo: values.demo,
    verbose: values.verbose,
    help: values.help,
    policy,
    ...(values.accounts !== undefined ? { accounts: parseAccounts(values.accounts) } : {}),
    roleName: parseRoleName(values['role-name']),
  };
}

function parseOutputS3(value: string): ReportLocation {
  try {
    return parseS3Uri(value);
  } catch (error) {
    throw new UsageError(`--output-s3: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseRegions(value: string | undefined): CliOptions['regions'] {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === 'all') return 'all';
  const regions = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (regions.length === 0) throw new UsageError('--regions needs at least one region, or "all"');
  try {
    return [...new Set(regions.map(assertRegionName))];
  } catch (error) {
    throw new UsageError(`--regions: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parsePolicy(
  maxAge: string | undefined,
  exempt: string | undefined,
  verifyIdentity: boolean,
): AuditPolicy {
  try {
    return {
      maxBackupAgeHours: maxAge === undefined ? 0 : parseMaxBackupAgeHours(maxAge, '--max-age'),
      exemptPatterns: exempt === undefined ? [] : parseExemptPatterns(exempt, '--exempt'),
      verifyTableIdentity: verifyIdentity,
    };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseAccounts(value: string): 'organization' | string[] {
  if (value.trim().toLowerCase() === 'organization') return 'organization';
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new UsageError('--accounts needs "organization" or at least one account id');
  const invalid = ids.find((id) => !ACCOUNT_ID_PATTERN.test(id));
  if (invalid !== undefined) {
    throw new UsageError(
      `--accounts: "${invalid.slice(0, 40)}" is not a 12-digit account id (or use "organization")`,
    );
  }
  return [...new Set(ids)];
}

function parseRoleName(value: string | undefined): string {
  if (value === undefined) return DEFAULT_MEMBER_ROLE_NAME;
  if (!ROLE_NAME_PATTERN.test(value)) {
    throw new UsageError(
      `--role-name "${value.slice(0, 80)}" is not an IAM role name (1–64 of A-Za-z0-9+=,.@_-)`,
    );
  }
  return value;
}
