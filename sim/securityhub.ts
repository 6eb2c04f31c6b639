/**
 * The Security Hub operations the auditor calls: BatchImportFindings and GetFindings, in one region of
 * one account. Security Hub is off until `enableSecurityHub(region)`: then GetFindings answers with
 * InvalidAccessException and every imported finding comes back in FailedFindings with `InvalidAccess`,
 * as the service does for an account that is not subscribed.
 */
import type {
  AwsSecurityFinding,
  AwsSecurityFindingFilters,
  BatchImportFindingsCommandInput,
  BatchImportFindingsResponse,
  GetFindingsCommandInput,
  GetFindingsResponse,
  ImportFindingsError,
  StringFilter,
} from '@aws-sdk/client-securityhub';
import { securityHubErrors } from './errors';
import { notModelled, requireModelledMembers } from './modelled';
import type { CallInfo, SimWorld } from './state';

/** BatchImportFindings: at most 100 findings a call (and 6 MB), 240 KB a finding. */
const IMPORT_MAX_FINDINGS = 100;
const IMPORT_MAX_BYTES = 6 * 1024 * 1024;
const FINDING_MAX_BYTES = 240 * 1024;
/** GetFindings: MaxResults 1–100 (default 100). */
const GET_MAX_RESULTS = 100;
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;
const SCHEMA_VERSION = '2018-10-08';
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
/** ASFF required top-level fields. */
const REQUIRED: readonly (keyof AwsSecurityFinding)[] = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'CreatedAt',
  'UpdatedAt',
  'Title',
  'Description',
  'Resources',
];
/** GetFindings filters modelled (EQUALS only) and the finding value each one reads. */
const FILTERS: Readonly<Record<string, (f: AwsSecurityFinding) => string | undefined>> = {
  Id: (f) => f.Id,
  GeneratorId: (f) => f.GeneratorId,
  ProductArn: (f) => f.ProductArn,
  AwsAccountId: (f) => f.AwsAccountId,
  Region: (f) => f.Region,
  RecordState: (f) => f.RecordState,
};

export function defaultProductArnOf(call: CallInfo): string {
  return `arn:${call.partition}:securityhub:${call.region}:${call.accountId}:product/${call.accountId}/default`;
}

/** Why Security Hub refuses one finding, or undefined when it takes it. */
function invalidity(
  finding: AwsSecurityFinding,
  call: CallInfo,
): { code: string; message: string } | undefined {
  const missing = REQUIRED.filter((field) => finding[field] === undefined || finding[field] === '');
  if (missing.length > 0 || !finding.Severity || !(finding.Types ?? finding.FindingProviderFields?.Types)) {
    const fields = [
      ...missing,
      ...(finding.Severity ? [] : ['Severity']),
      ...(finding.Types ? [] : ['Types']),
    ];
    return { code: 'InvalidInput', message: `Finding does not adhere to ASFF: missing ${fields.join(', ')}` };
  }
  if (finding.SchemaVersion !== SCHEMA_VERSION)
    return { code: 'InvalidInput', message: `Unsupported SchemaVersion ${finding.SchemaVersion}` };
  if (finding.AwsAccountId !== call.accountId || finding.ProductArn !== defaultProductArnOf(call)) {
    return {
      code: 'AccessDeniedException',
      message: `Findings of product ${finding.ProductArn} for account ${finding.AwsAccountId} cannot be imported by account ${call.accountId} in ${call.region}`,
    };
  }
  if ([...(finding.Title ?? '')].length > TITLE_MAX)
    return { code: 'InvalidInput', message: 'Title is too long' };
  if ([...(finding.Description ?? '')].length > DESCRIPTION_MAX)
    return { code: 'InvalidInput', message: 'Description is too long' };
  if (!finding.Resources?.length || finding.Resources.some((r) => !r.Type || !r.Id))
    return { code: 'InvalidInput', message: 'Resources must have a Type and an Id' };
  for (const [field, value] of [
    ['CreatedAt', finding.CreatedAt],
    ['UpdatedAt', finding.UpdatedAt],
  ] as const) {
    if (Number.isNaN(Date.parse(value ?? '')))
      return { code: 'InvalidInput', message: `${field} is not a date` };
  }
  if (!SEVERITY_LABELS.includes(finding.Severity.Label ?? ''))
    return { code: 'InvalidInput', message: `Severity.Label ${finding.Severity.Label} is not valid` };
  if (finding.Compliance?.Status !== undefined && !COMPLIANCE_STATUSES.includes(finding.Compliance.Status))
    return { code: 'InvalidInput', message: `Compliance.Status ${finding.Compliance.Status} is not valid` };
  if (finding.RecordState !== undefined && !RECORD_STATES.includes(finding.RecordState))
    return { code: 'InvalidInput', message: `RecordState ${finding.RecordState} is not valid` };
  if (Buffer.byteLength(JSON.stringify(finding)) > FINDING_MAX_BYTES)
    return { code: 'InvalidInput', message: 'Finding is larger than 240 KB' };
  return undefined;
}

export function batchImportFindings(
  world: SimWorld,
  call: CallInfo,
  input: BatchImportFindingsCommandInput,
): BatchImportFindingsResponse {
  requireModelledMembers(call.operation, input, ['Findings']);
  const findings = input.Findings ?? [];
  if (findings.length < 1 || findings.length > IMPORT_MAX_FINDINGS) {
    throw securityHubErrors.invalidInput(
      `Findings must contain between 1 and ${IMPORT_MAX_FINDINGS} findings, got ${findings.length}`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(findings)) > IMPORT_MAX_BYTES)
    throw securityHubErrors.invalidInput('The request is larger than 6 MB');
  const hub = world.regionState(call.region).securityHub;
  const failed: ImportFindingsError[] = [];
  for (const finding of findings) {
    if (!hub.enabled) {
      failed.push({
        Id: finding.Id,
        ErrorCode: 'InvalidAccess',
        ErrorMessage: `Account ${call.accountId} is not subscribed to AWS Security Hub`,
      });
      continue;
    }
    const problem = invalidity(finding, call);
    if (problem) {
      failed.push({ Id: finding.Id, ErrorCode: problem.code, ErrorMessage: problem.message });
      continue;
    }
    // The service fills these in; a re-import of the same Id updates the finding in place.
    hub.findings.set(finding.Id ?? '', {
      ...structuredClone(finding),
      Region: call.region,
      RecordState: finding.RecordState ?? 'ACTIVE',
    });
  }
  return {
    FailedCount: failed.length,
    SuccessCount: findings.length - failed.length,
    FailedFindings: failed,
  };
}

function matches(finding: AwsSecurityFinding, filters: AwsSecurityFindingFilters): boolean {
  for (const [name, values] of Object.entries(filters) as [string, StringFilter[] | undefined][]) {
    if (values === undefined) continue;
    const read = FILTERS[name];
    if (!read) throw notModelled(`GetFindings filter ${name}`);
    if (values.some((v) => v.Comparison !== 'EQUALS'))
      throw notModelled(`GetFindings ${name} comparisons other than EQUALS`);
    // Values of one attribute are ORed; attributes are ANDed.
    if (!values.some((v) => v.Value === read(finding))) return false;
  }
  return true;
}

export function getFindings(
  world: SimWorld,
  call: CallInfo,
  input: GetFindingsCommandInput,
): GetFindingsResponse {
  requireModelledMembers(call.operation, input, ['Filters', 'MaxResults', 'NextToken']);
  const hub = world.regionState(call.region).securityHub;
  if (!hub.enabled) throw securityHubErrors.notSubscribed(call.accountId);
  const maxResults = input.MaxResults ?? GET_MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > GET_MAX_RESULTS) {
    throw securityHubErrors.invalidInput(`MaxResults must be between 1 and ${GET_MAX_RESULTS}`);
  }
  const pageSize = world.pageSize(call.operation, maxResults);
  const matching = [...hub.findings.values()]
    .filter((f) => matches(f, input.Filters ?? {}))
    .sort((a, b) => ((a.Id ?? '') < (b.Id ?? '') ? -1 : 1));
  const start = input.NextToken ? Number.parseInt(input.NextToken, 36) : 0;
  if (Number.isNaN(start)) throw securityHubErrors.invalidInput('NextToken is not valid');
  const page = matching.slice(start, start + pageSize);
  return {
    Findings: page.map((f) => structuredClone(f)),
    ...(start + pageSize < matching.length ? { NextToken: (start + pageSize).toString(36) } : {}),
  };
}
