/**
 * A simulated AWS account for end-to-end tests, the benchmark and the CLI's --demo mode.
 * Runtime code: no test framework or mocking library is imported here.
 */
export {
  DEFAULT_ACCOUNT_ID,
  SimulatedAccount,
  type ExpectedStatus,
  type SimulatedAccountOptions,
} from './account';
export { DEFAULT_RATE_LIMITS, type PerOperation } from './admission';
export type { CallCounter, CallOutcome } from './counters';
export {
  SIM_CREDENTIALS,
  SIM_MIDDLEWARE_NAME,
  simulatedAccountPlugin,
  regionOf,
  type AccountRouter,
  type AttachableClient,
  type SimulatedCall,
  type SimulatedEndpoint,
} from './plugin';
export {
  buildDemoAccount,
  buildScenario,
  DEFAULT_MIX,
  SCENARIO_TOPIC_NAME,
  type ScenarioMix,
  type ScenarioOptions,
} from './scenario';
export type {
  InvocationRecord,
  NativeBackupStatus,
  NativeBackupType,
  PublishedMessage,
  RecoveryPointStatus,
  S3ObjectRecord,
  SimLambdaContext,
  SimLambdaHandler,
} from './state';
export { FAULT_ERRORS, type Fault } from './faults';
export {
  DEFAULT_ORGANIZATION_ID,
  ORGANIZATION_RATE_LIMITS,
  SimulatedOrganization,
  type AssumedRole,
  type MemberOptions,
  type SimulatedOrganizationOptions,
} from './organization';
