/**
 * The audit policy (docs/design.md, "Audit policy"): a maximum backup age, exemptions, and the check
 * that a backup belongs to the table that exists now. The same meaning in the stack (parameters →
 * environment), the CLI (flags) and the reports.
 */

export interface AuditPolicy {
  /** 0: a usable backup of any age counts. N: the newest usable backup must be at most N hours old. */
  maxBackupAgeHours: number;
  /** Table names and `*` globs exempt by configuration (the ExemptTables parameter, `--exempt`). */
  exemptPatterns: string[];
  /** Count a backup only if it belongs to the table that exists now (one DescribeTable a table). */
  verifyTableIdentity: boolean;
}

export const DEFAULT_POLICY: AuditPolicy = {
  maxBackupAgeHours: 0,
  exemptPatterns: [],
  verifyTableIdentity: false,
};

/** Ten years: the largest MaxBackupAgeHours. */
export const MAX_BACKUP_AGE_HOURS = 87_600;
/** A table name or a glob over one: DynamoDB's name characters plus `*`. */
const EXEMPT_PATTERN = /^[A-Za-z0-9_.*-]{1,255}$/;

export class InvalidPolicyError extends Error {
  override name = 'InvalidPolicyError';
}

/** `168` → 168; anything but a whole number of hours from 0 to 87,600 is refused, naming `what`. */
export function parseMaxBackupAgeHours(value: string, what: string): number {
  const trimmed = value.trim();
  const hours = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isInteger(hours) || hours > MAX_BACKUP_AGE_HOURS) {
    throw new InvalidPolicyError(
      `${what} must be a whole number of hours from 0 (any age) to ${MAX_BACKUP_AGE_HOURS}, got "${value}"`,
    );
  }
  return hours;
}

/** `dev-*,scratch` → ['dev-*', 'scratch']; empty → []. */
export function parseExemptPatterns(value: string, what: string): string[] {
  const patterns = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const pattern of patterns) {
    if (!EXEMPT_PATTERN.test(pattern)) {
      throw new InvalidPolicyError(
        `${what}: "${pattern.slice(0, 300)}" is not a table name or a * glob (1–255 characters of A-Z a-z 0-9 _ . - *)`,
      );
    }
  }
  return [...new Set(patterns)];
}

/**
 * The policy the stack configured: MAX_BACKUP_AGE_HOURS, EXEMPT_TABLES and VERIFY_TABLE_IDENTITY
 * (each may be absent: the rule as written).
 */
export function policyFromEnvironment(env: NodeJS.ProcessEnv = process.env): AuditPolicy {
  const verify = (env.VERIFY_TABLE_IDENTITY ?? 'false').trim().toLowerCase();
  if (verify !== 'true' && verify !== 'false') {
    throw new InvalidPolicyError(
      `VERIFY_TABLE_IDENTITY must be "true" or "false", got "${env.VERIFY_TABLE_IDENTITY}"`,
    );
  }
  return {
    maxBackupAgeHours: parseMaxBackupAgeHours(env.MAX_BACKUP_AGE_HOURS ?? '0', 'MAX_BACKUP_AGE_HOURS'),
    exemptPatterns: parseExemptPatterns(env.EXEMPT_TABLES ?? '', 'EXEMPT_TABLES'),
    verifyTableIdentity: verify === 'true',
  };
}
