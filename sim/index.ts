/**
 * A simulated AWS account for end-to-end tests, the benchmark and the CLI's --demo mode.
 * Runtime code: no test framework or mocking library is imported here.
 */
export {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_RATE_LIMITS,
  SIM_CREDENTIALS,
  SIM_MIDDLEWARE_NAME,
  SimulatedAccount,
  type AttachableClient,
  type AttachOptions,
  type CallCounter,
  type CallOutcome,
  type ExpectedStatus,
  type SimulatedAccountOptions,
} from './account';
export {
  buildDemoAccount,
  buildScenario,
  DEFAULT_MIX,
  SCENARIO_TOPIC_NAME,
  type ScenarioMix,
  type ScenarioOptions,
} from './scenario';
export { mulberry32 } from './ids';
export { SNS_MAX_MESSAGE_BYTES, SNS_SUBJECT_LIMIT } from './sns';
export { LAMBDA_ASYNC_PAYLOAD_BYTES, LAMBDA_SYNC_PAYLOAD_BYTES } from './lambda';
export type {
  InvocationRecord,
  NativeBackupStatus,
  NativeBackupType,
  PublishedMessage,
  RecoveryPointStatus,
  SimLambdaContext,
  SimLambdaHandler,
} from './state';
