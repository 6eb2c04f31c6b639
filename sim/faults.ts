/**
 * Faults a test injects into the account's answers: an error instead of an answer, either before the
 * operation acts ("refused": nothing changed) or after it ("lost": the change happened, the answer
 * never arrived, as after a timeout or a 5xx). With them, retry behaviour is tested through the SDK's
 * real retry strategy rather than through a mock that skips it.
 */
import { DynamoDBServiceException, LimitExceededException } from '@aws-sdk/client-dynamodb';
import { errorMetadata } from './errors';

export interface Fault {
  /** Operation name, e.g. `CreateBackup`. */
  readonly operation: string;
  readonly error: () => Error;
  /** `refused` (default): fails before the operation acts. `lost`: acts, then fails. */
  readonly when?: 'refused' | 'lost';
  /** Only calls whose input matches (e.g. `{ TableName: 'orders' }`). */
  readonly input?: Readonly<Record<string, unknown>>;
  readonly region?: string;
  /** How many calls it hits. @default 1 (Infinity: every call) */
  readonly times?: number;
}

interface ArmedFault extends Fault {
  remaining: number;
}

export class Faults {
  private armed: ArmedFault[] = [];

  add(fault: Fault): void {
    this.armed.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** The error of the first armed fault matching this call at this moment, used up once. */
  take(operation: string, region: string, input: object, when: 'refused' | 'lost'): Error | undefined {
    const fault = this.armed.find(
      (f) =>
        f.remaining > 0 &&
        f.operation === operation &&
        (f.when ?? 'refused') === when &&
        (f.region === undefined || f.region === region) &&
        Object.entries(f.input ?? {}).every(([k, v]) => (input as Record<string, unknown>)[k] === v),
    );
    if (!fault) return undefined;
    fault.remaining--;
    return fault.error();
  }

  clear(): void {
    this.armed = [];
  }
}

/** Errors to inject, shaped as the SDK builds them from a real response (or its absence). */
export const FAULT_ERRORS = {
  /** DynamoDB's answer when too many control-plane operations are in progress (HTTP 400). */
  limitExceeded: (): Error =>
    new LimitExceededException({
      message: 'Too many operations in progress (simulated)',
      $metadata: errorMetadata(400),
    }),
  /** A 500 from DynamoDB. */
  internalServerError: (): Error =>
    new DynamoDBServiceException({
      name: 'InternalServerError',
      $fault: 'server',
      message: 'Internal server error (simulated)',
      $metadata: errorMetadata(500),
    }),
  /** No answer at all: the socket timed out (no HTTP status). */
  timeout: (): Error =>
    Object.assign(new Error('Connection timed out after 30000 ms (simulated)'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    }),
  /** AccessDeniedException with the given service's base exception class. */
  accessDenied: (message = 'User is not authorized to perform this action (simulated)'): Error =>
    Object.assign(new Error(message), {
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: errorMetadata(400),
    }),
};
