/** STS GetCallerIdentity: the caller is a session of a role of the account. */
import type { GetCallerIdentityCommandInput, GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import { requireModelledMembers } from './modelled';
import type { CallInfo, SimWorld } from './state';

const ROLE = 'dynamodb-backup-auditor';
const SESSION = 'simulated-session';

export function getCallerIdentity(
  world: SimWorld,
  call: CallInfo,
  input: GetCallerIdentityCommandInput,
): GetCallerIdentityResponse {
  requireModelledMembers(call.operation, input, []);
  return {
    UserId: `AROASIMULATEDROLE0001:${SESSION}`,
    Account: world.accountId,
    Arn: `arn:${call.partition}:sts::${world.accountId}:assumed-role/${ROLE}/${SESSION}`,
  };
}
