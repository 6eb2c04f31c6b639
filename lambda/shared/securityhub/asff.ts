/**
 * A Finding as an AWS Security Finding Format (ASFF) finding, with exactly the fields and mappings of
 * docs/design.md ("Security Hub"). Imported with the account's default product, so it is imported in
 * the table's own account and region (docs/aws-facts.md, "Security Hub").
 */
import type { AwsSecurityFinding, Partition } from '@aws-sdk/client-securityhub';
import { partitionOf } from '../regions';
import { causeOf } from '../rule';
import { Finding, RULE_ID, Status } from '../types';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const GENERATOR_ID = RULE_ID;
export const FINDING_TYPES = ['Software and Configuration Checks/AWS Security Best Practices'];
export const RESOURCE_TYPE = 'AwsDynamoDbTable';
/** ASFF limits: Title ≤ 256 characters, Description ≤ 1,024. */
export const TITLE_MAX = 256;
export const DESCRIPTION_MAX = 1024;

type ComplianceStatus = 'PASSED' | 'FAILED' | 'NOT_AVAILABLE' | 'WARNING';
type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';

/** Status → Compliance.Status and Severity.Label. */
export const STATUS_MAPPING: Readonly<
  Record<Status, { compliance: ComplianceStatus; severity: SeverityLabel }>
> = {
  COMPLIANT: { compliance: 'PASSED', severity: 'INFORMATIONAL' },
  NON_COMPLIANT: { compliance: 'FAILED', severity: 'HIGH' },
  ERROR: { compliance: 'NOT_AVAILABLE', severity: 'MEDIUM' },
  EXEMPT: { compliance: 'WARNING', severity: 'LOW' },
};

const TITLE_PHRASE: Readonly<Record<Status, string>> = {
  COMPLIANT: 'has a usable backup',
  NON_COMPLIANT: 'has no usable backup',
  ERROR: 'could not be evaluated',
  EXEMPT: 'is exempt from the backup rule',
};

/** Compliance.StatusReasons[0].ReasonCode: why the status, in a few words a filter can match. */
function reasonCode(finding: Finding): string {
  if (finding.status === 'COMPLIANT') return 'USABLE_BACKUP';
  if (finding.status === 'EXEMPT') return 'EXEMPT';
  switch (causeOf(finding)) {
    case 'noBackup':
      return 'NO_BACKUP';
    case 'tooOld':
      return 'BACKUP_TOO_OLD';
    case 'earlierTable':
      return 'BACKUP_OF_EARLIER_TABLE';
    case 'notEvaluated':
      return 'NOT_EVALUATED';
    default:
      return 'NO_USABLE_BACKUP';
  }
}

/** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`. */
export function defaultProductArn(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** `<tableArn>/DynamoDB-005`: one finding per table, updated in place by every audit. */
export function findingId(tableArn: string): string {
  return `${tableArn}/${RULE_ID}`;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export interface AsffContext {
  accountId: string;
  /** ISO 8601: when the audit finished. Becomes UpdatedAt. */
  auditedAt: string;
  /** CreatedAt of the finding already in Security Hub. @default auditedAt (a new finding) */
  createdAt?: string;
}

/** The ASFF finding of one table, ACTIVE. */
export function toAsff(finding: Finding, context: AsffContext): AwsSecurityFinding {
  const { compliance, severity } = STATUS_MAPPING[finding.status];
  const description = clip(finding.reason, DESCRIPTION_MAX);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(finding.tableArn),
    ProductArn: defaultProductArn(finding.region, context.accountId),
    GeneratorId: GENERATOR_ID,
    AwsAccountId: context.accountId,
    Types: [...FINDING_TYPES],
    CreatedAt: context.createdAt ?? context.auditedAt,
    UpdatedAt: context.auditedAt,
    Severity: { Label: severity },
    FindingProviderFields: { Severity: { Label: severity }, Types: [...FINDING_TYPES] },
    Title: clip(`${RULE_ID}: DynamoDB table ${finding.tableName} ${TITLE_PHRASE[finding.status]}`, TITLE_MAX),
    Description: description,
    Resources: [
      {
        Type: RESOURCE_TYPE,
        Id: finding.tableArn,
        // The ASFF's partitions (aws, aws-cn, aws-us-gov) are the ones Security Hub runs in.
        Partition: partitionOf(finding.region) as Partition,
        Region: finding.region,
      },
    ],
    Compliance: {
      Status: compliance,
      StatusReasons: [{ ReasonCode: reasonCode(finding), Description: description }],
    },
    RecordState: 'ACTIVE',
  };
}

/**
 * The finding of a table that no longer exists, re-imported ARCHIVED: what Security Hub holds, with
 * the new UpdatedAt, so its history (CreatedAt, status) stays as it was.
 */
export function toArchived(existing: AwsSecurityFinding, auditedAt: string): AwsSecurityFinding {
  return {
    SchemaVersion: existing.SchemaVersion ?? ASFF_SCHEMA_VERSION,
    Id: existing.Id,
    ProductArn: existing.ProductArn,
    GeneratorId: existing.GeneratorId,
    AwsAccountId: existing.AwsAccountId,
    Types: existing.Types ?? [...FINDING_TYPES],
    CreatedAt: existing.CreatedAt,
    UpdatedAt: auditedAt,
    Severity: existing.Severity,
    ...(existing.FindingProviderFields ? { FindingProviderFields: existing.FindingProviderFields } : {}),
    Title: existing.Title,
    Description: existing.Description,
    Resources: existing.Resources,
    ...(existing.Compliance ? { Compliance: existing.Compliance } : {}),
    RecordState: 'ARCHIVED',
  };
}

/** The table ARN of a finding this tool imported (undefined for anything else). */
export function tableArnOf(finding: AwsSecurityFinding): string | undefined {
  const resource = finding.Resources?.[0];
  if (resource?.Type !== RESOURCE_TYPE || !resource.Id) return undefined;
  return finding.Id === findingId(resource.Id) ? resource.Id : undefined;
}
