/** The audit Lambda's two kinds of event: `{"region": ...}` audits one region, anything else dispatches. */
import { assertRegionName } from '../shared/regions';

export class InvalidAuditEventError extends Error {
  override name = 'InvalidAuditEventError';
}

export type AuditEvent = { kind: 'region'; region: string } | { kind: 'dispatch' };

export function parseAuditEvent(event: unknown): AuditEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidAuditEventError(
      `Audit event must be a JSON object: {"region":"eu-west-1"} or a scheduled event, got ${JSON.stringify(event) ?? String(event)}`,
    );
  }
  if (!('region' in event) || isScheduledEvent(event)) return { kind: 'dispatch' };
  const { region } = event as { region: unknown };
  if (typeof region !== 'string') {
    throw new InvalidAuditEventError(
      `"region" must be a string such as "eu-west-1", got ${JSON.stringify(region)}`,
    );
  }
  try {
    return { kind: 'region', region: assertRegionName(region) };
  } catch (error) {
    throw new InvalidAuditEventError(error instanceof Error ? error.message : String(error));
  }
}

/** EventBridge events carry a `region` too (where the rule ran): they mean "dispatch". */
function isScheduledEvent(event: object): boolean {
  return 'detail-type' in event && 'source' in event;
}
