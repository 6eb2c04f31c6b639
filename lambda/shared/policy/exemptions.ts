/**
 * Exemptions: tables that are meant to have no backup (scratch, dev, rebuilt nightly). A table is
 * exempt when it matches a configured pattern (no end date), or when it carries the tag
 * `dynamodb-005:exempt-reason` (and optionally `dynamodb-005:exempt-until`, the last exempt day,
 * YYYY-MM-DD in UTC). An ended or malformed end date leaves the table evaluated normally, and its
 * reason says why. An exempted table that would be NON_COMPLIANT or ERROR is EXEMPT; a compliant one
 * stays COMPLIANT.
 */
import { Finding } from '../types';

export const EXEMPT_REASON_TAG = 'dynamodb-005:exempt-reason';
export const EXEMPT_UNTIL_TAG = 'dynamodb-005:exempt-until';

export type Exemption =
  | { kind: 'active'; reason: string; until?: string }
  | { kind: 'ended'; until: string }
  | { kind: 'malformed'; value: string };

/** A matcher for the configured patterns: the first pattern that matches the name, or undefined. */
export function patternMatcher(patterns: string[]): (tableName: string) => string | undefined {
  const compiled = patterns.map((pattern) => ({
    pattern,
    regex: new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`),
  }));
  return (tableName) => compiled.find(({ regex }) => regex.test(tableName))?.pattern;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The exemption a table's tags declare, judged on `today` (YYYY-MM-DD, UTC). */
export function exemptionFromTags(tags: Record<string, string>, today: string): Exemption | undefined {
  const reason = tags[EXEMPT_REASON_TAG]?.trim();
  if (!reason) return undefined; // without a reason there is no exemption
  const until = tags[EXEMPT_UNTIL_TAG]?.trim();
  if (until === undefined || until === '') return { kind: 'active', reason };
  if (!isCalendarDate(until)) return { kind: 'malformed', value: until };
  return until >= today ? { kind: 'active', reason, until } : { kind: 'ended', until };
}

/** A real calendar day written YYYY-MM-DD (2027-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The configured pattern's exemption. */
export function exemptionFromPattern(pattern: string): Exemption {
  return { kind: 'active', reason: `listed in ExemptTables (\`${pattern}\`)` };
}

/** The finding once the table's exemption, if any, is taken into account. */
export function applyExemption(finding: Finding, exemption: Exemption | undefined): Finding {
  if (!exemption) return finding;
  switch (exemption.kind) {
    case 'ended':
      return { ...finding, reason: appendNote(finding.reason, `exemption ended ${exemption.until}`) };
    case 'malformed':
      return {
        ...finding,
        reason: appendNote(
          finding.reason,
          `exemption ignored: tag ${EXEMPT_UNTIL_TAG} "${exemption.value.slice(0, 64)}" is not a date YYYY-MM-DD`,
        ),
      };
    case 'active':
      if (finding.status === 'COMPLIANT') return finding;
      return {
        ...finding,
        status: 'EXEMPT',
        reason: exemption.until
          ? `Exempt until ${exemption.until}: ${exemption.reason}`
          : `Exempt (no end date): ${exemption.reason}`,
        ...(exemption.until ? { exemptUntil: exemption.until } : {}),
      };
  }
}

function appendNote(reason: string, note: string): string {
  return `${reason.replace(/\.$/, '')} (${note}).`;
}

/** Today in UTC, YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
