/** Lambda Invoke of the functions registered on the simulated account. */
import type { InvocationResponse, InvokeCommandInput } from '@aws-sdk/client-lambda';
import { lambdaErrors } from './errors';
import { notModelled, requireModelledMembers } from './modelled';
import type { ArnScope, CallInfo, InvocationType, SimWorld } from './state';

/** Request payload limits: 6 MB synchronous, 1 MB asynchronous (Event). */
const PAYLOAD_LIMIT_BYTES: Readonly<Record<InvocationType, number>> = {
  RequestResponse: 6 * 1024 * 1024,
  Event: 1024 * 1024,
};

const FUNCTION_NAME =
  /^(?:arn:[^:]+:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([a-zA-Z0-9_-]{1,140})(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** A Uint8Array with the SDK's `transformToString`, as the SDK returns blob outputs. */
type SimBlob = Uint8Array & { transformToString(encoding?: string): string };

function blob(text: string): SimBlob {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  return Object.assign(bytes, {
    transformToString: (encoding = 'utf-8') => Buffer.from(bytes).toString(encoding as BufferEncoding),
  });
}

export function functionArnOf(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:lambda:${scope.region}:${scope.accountId}:function:${name}`;
}

function payloadText(payload: unknown): string {
  if (payload === undefined) return '';
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) {
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  }
  throw notModelled('Invoke.Payload other than a string or a Uint8Array');
}

function parseEvent(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw lambdaErrors.invalidRequestContent(`Could not parse request body into json: ${reason}`);
  }
}

function failure(errorType: string, errorMessage: string, stack?: string): InvocationResponse {
  const trace = stack === undefined ? {} : { trace: stack.split('\n') };
  return {
    StatusCode: 200,
    FunctionError: 'Unhandled',
    Payload: blob(JSON.stringify({ errorType, errorMessage, ...trace })),
  };
}

/**
 * FunctionName as a name, a partial ARN or an ARN (a qualifier is accepted and ignored). `Event`
 * answers 202 at once and runs the handler afterwards; `RequestResponse` answers 200 with the
 * handler's JSON result, or FunctionError 'Unhandled' when it throws.
 */
export async function invoke(
  world: SimWorld,
  call: CallInfo,
  input: InvokeCommandInput,
): Promise<InvocationResponse> {
  requireModelledMembers(call.operation, input, ['FunctionName', 'InvocationType', 'Payload']);
  const requested = input.FunctionName ?? '';
  const name = FUNCTION_NAME.exec(requested)?.[1];
  if (name === undefined) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${requested}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  }
  if (!world.functions.has(name)) throw lambdaErrors.functionNotFound(functionArnOf(call, name));

  const type = input.InvocationType ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event') throw notModelled(`Invoke.InvocationType ${type}`);
  const text = payloadText(input.Payload);
  const limit = PAYLOAD_LIMIT_BYTES[type];
  if (Buffer.byteLength(text, 'utf8') > limit) {
    throw lambdaErrors.requestTooLarge(
      `Request must be smaller than ${limit} bytes for the Invoke operation`,
    );
  }
  const record = await world.functions.invoke(name, type, parseEvent(text), call.region);
  if (type === 'Event') return { StatusCode: 202, Payload: blob('') };
  if (record.status === 'failed' && record.error) {
    return failure(record.error.name, record.error.message, record.error.stack ?? '');
  }
  let body: string;
  try {
    body = JSON.stringify(record.result) ?? 'null';
  } catch (e) {
    return failure('Runtime.MarshalError', e instanceof Error ? e.message : String(e));
  }
  // A synchronous response is limited like the request: past it, Lambda reports an error instead.
  const responseLimit = PAYLOAD_LIMIT_BYTES.RequestResponse;
  if (Buffer.byteLength(body, 'utf8') > responseLimit) {
    return failure(
      'Function.ResponseSizeTooLarge',
      `Response payload size exceeded maximum allowed payload size (${responseLimit} bytes).`,
    );
  }
  return { StatusCode: 200, Payload: blob(body) };
}
