/** STS GetCallerIdentity for the simulated account. */
import type { GetCallerIdentityCommandInput, GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import type { CallInfo, SimWorld } from './state';

export function getCallerIdentity(
  world: SimWorld,
  _call: CallInfo,
  _input: GetCallerIdentityCommandInput,
): GetCallerIdentityResponse {
  return { UserId: world.callerUserId(), Account: world.accountId, Arn: world.callerArn() };
}
