/**
 * STS AssumeRole. Inside a SimulatedOrganization, a role present in a member account hands out
 * temporary credentials whose access key id the organization's router maps back to that account; a
 * missing role is AccessDenied, worded as STS words it (STS does not tell a missing role from one that
 * does not trust the caller). A plain SimulatedAccount has no roles to assume: AccessDenied too.
 */
import type { AssumeRoleCommandInput, AssumeRoleResponse } from '@aws-sdk/client-sts';
import { stsErrors } from './errors';
import { requireModelledMembers } from './modelled';
import type { CallInfo, SimWorld } from './state';

/** The identity every simulated caller signs as (see sim/sts.ts GetCallerIdentity). */
const CALLER_ROLE = 'dynamodb-backup-auditor';
const CALLER_SESSION = 'simulated-session';

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const MEMBERS = ['RoleArn', 'RoleSessionName', 'DurationSeconds'];

export interface ParsedRoleArn {
  readonly partition: string;
  readonly accountId: string;
  readonly roleName: string;
}

export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** What the AssumeRole model needs from the organization. */
export interface RoleDirectory {
  /** True when `accountId` has a role named `roleName` that trusts `callerAccountId`. */
  canAssume(callerAccountId: string, accountId: string, roleName: string): boolean;
  /** Temporary credentials of a session of that role, valid `durationSeconds`. */
  issue(accountId: string, roleName: string, sessionName: string, durationSeconds: number): IssuedCredentials;
}

export function callerArn(partition: string, accountId: string): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${CALLER_ROLE}/${CALLER_SESSION}`;
}

/** Validates the request as STS does (lengths and patterns of the API reference). */
function validate(call: Pick<CallInfo, 'operation'>, input: AssumeRoleCommandInput): ParsedRoleArn {
  requireModelledMembers(call.operation, input, MEMBERS);
  const roleArn = input.RoleArn ?? '';
  if (roleArn.length < 20 || roleArn.length > 2048) {
    throw stsErrors.validation('roleArn', roleArn, 'Member must have length between 20 and 2048');
  }
  const session = input.RoleSessionName ?? '';
  if (session.length < 2 || session.length > 64) {
    throw stsErrors.validation('roleSessionName', session, 'Member must have length between 2 and 64');
  }
  if (!SESSION_NAME.test(session)) {
    throw stsErrors.validation(
      'roleSessionName',
      session,
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
  const duration = input.DurationSeconds ?? 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    throw stsErrors.validation(
      'durationSeconds',
      String(duration),
      'Member must have value between 900 and 43200',
    );
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) {
    throw stsErrors.validation('roleArn', roleArn, 'Member must be the ARN of an IAM role');
  }
  const [, partition = '', accountId = '', roleName = ''] = match;
  return { partition, accountId, roleName };
}

/** AssumeRole answered by an organization: `callerAccountId` is the account that signed the call. */
export function assumeRoleIn(
  directory: RoleDirectory,
  call: Pick<CallInfo, 'operation' | 'partition'>,
  callerAccountId: string,
  input: AssumeRoleCommandInput,
): AssumeRoleResponse {
  const role = validate(call, input);
  const roleArn = input.RoleArn ?? '';
  if (!directory.canAssume(callerAccountId, role.accountId, role.roleName)) {
    throw stsErrors.accessDenied(callerArn(call.partition, callerAccountId), roleArn);
  }
  const session = input.RoleSessionName ?? '';
  const issued = directory.issue(role.accountId, role.roleName, session, input.DurationSeconds ?? 3600);
  return {
    Credentials: {
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      SessionToken: issued.sessionToken,
      Expiration: issued.expiration,
    },
    AssumedRoleUser: {
      AssumedRoleId: `AROA${role.accountId}SIMROLE:${session}`,
      Arn: `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.roleName}/${session}`,
    },
    PackedPolicySize: 0,
  };
}

/** AssumeRole sent to a plain SimulatedAccount (no organization): no role exists, so AccessDenied. */
export function assumeRole(
  world: SimWorld,
  call: CallInfo,
  input: AssumeRoleCommandInput,
): AssumeRoleResponse {
  validate(call, input);
  throw stsErrors.accessDenied(callerArn(call.partition, world.accountId), input.RoleArn ?? '');
}
