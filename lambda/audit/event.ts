/**
 * The audit Lambda's events:
 *
 * - `{"region": "eu-west-1"}`: audits that region of this account;
 * - `{"region": "eu-west-1", "accountId": "444455556666"}`: audits that region of a member account,
 *   through its member role;
 * - the same with `"runId"` and `"notify"`: one item of a scheduled run, sent by the state machine's
 *   Distributed Map (`notify` false: the run sends one digest for every account);
 * - anything else (the schedule's or a person's `{}`, an EventBridge scheduled event): starts a run.
 *
 * Checked before any AWS call.
 */
import { isAccountId } from '../shared/org/audit-accounts';
import { assertRegionName } from '../shared/regions';
import { RUN_ID_PATTERN } from '../shared/run/run-keys';

export class InvalidAuditEventError extends Error {
  override name = 'InvalidAuditEventError';
}

export type AuditEvent =
  { kind: 'region'; region: string; accountId?: string; runId?: string; notify: boolean } | { kind: 'start' };

const describe = (value: unknown): string => (JSON.stringify(value) ?? String(value)).slice(0, 200);

export function parseAuditEvent(event: unknown): AuditEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidAuditEventError(
      `Audit event must be a JSON object: {"region":"eu-west-1"} or a scheduled event, got ${describe(event)}`,
    );
  }
  if (!('region' in event) || isScheduledEvent(event)) return { kind: 'start' };
  const { region, accountId, runId, notify } = event as Record<string, unknown>;
  if (typeof region !== 'string') {
    throw new InvalidAuditEventError(
      `"region" must be a string such as "eu-west-1", got ${describe(region)}`,
    );
  }
  if (accountId !== undefined && !isAccountId(accountId)) {
    throw new InvalidAuditEventError(`"accountId" must be a 12-digit account id, got ${describe(accountId)}`);
  }
  if (runId !== undefined && (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId))) {
    throw new InvalidAuditEventError(`"runId" is not a run id of this stack, got ${describe(runId)}`);
  }
  if (notify !== undefined && typeof notify !== 'boolean') {
    throw new InvalidAuditEventError(`"notify" must be true or false, got ${describe(notify)}`);
  }
  let checkedRegion: string;
  try {
    checkedRegion = assertRegionName(region);
  } catch (error) {
    throw new InvalidAuditEventError(error instanceof Error ? error.message : String(error));
  }
  return {
    kind: 'region',
    region: checkedRegion,
    ...(accountId !== undefined ? { accountId } : {}),
    ...(runId !== undefined ? { runId } : {}),
    notify: notify ?? true,
  };
}

/** EventBridge events carry a `region` too (where the rule ran): they mean "start a run". */
function isScheduledEvent(event: object): boolean {
  return 'detail-type' in event && 'source' in event;
}
