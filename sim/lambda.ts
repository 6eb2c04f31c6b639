/** Lambda Invoke against functions registered on the simulated account. */
import type { InvocationResponse, InvokeCommandInput } from '@aws-sdk/client-lambda';
import { lambdaErrors } from './errors';
import type { CallInfo, InvocationRecord, SimWorld } from './state';

/** Synchronous request payload limit (6 MB). */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Asynchronous (Event) request payload limit (1 MB). */
export const LAMBDA_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

const FUNCTION_NAME =
  /^(?:arn:[^:]+:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([a-zA-Z0-9_-]{1,140})(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** A Uint8Array with the SDK's `transformToString`, as the SDK returns blob outputs. */
export type SimBlob = Uint8Array & { transformToString(encoding?: string): string };

export function blob(text: string): SimBlob {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  return Object.assign(bytes, {
    transformToString: (encoding = 'utf-8') => Buffer.from(bytes).toString(encoding as BufferEncoding),
  });
}

/** The function name inside a name, partial ARN or ARN, with or without a qualifier. */
export function functionNameFrom(nameOrArn: string): string | undefined {
  return FUNCTION_NAME.exec(nameOrArn)?.[1];
}

export function functionArnOf(
  call: Pick<CallInfo, 'partition' | 'region' | 'accountId'>,
  name: string,
): string {
  return `arn:${call.partition}:lambda:${call.region}:${call.accountId}:function:${name}`;
}

function payloadText(payload: unknown): string {
  if (payload === undefined || payload === null) return '';
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) {
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  }
  if (payload instanceof ArrayBuffer) return Buffer.from(payload).toString('utf8');
  throw lambdaErrors.invalidRequestContent(
    'Could not parse request body into json: unsupported Payload type',
  );
}

function errorPayload(error: Error): string {
  return JSON.stringify({
    errorType: error.name,
    errorMessage: error.message,
    trace: (error.stack ?? '').split('\n'),
  });
}

export async function invoke(
  world: SimWorld,
  call: CallInfo,
  input: InvokeCommandInput,
): Promise<InvocationResponse> {
  const requested = input.FunctionName ?? '';
  const name = functionNameFrom(requested);
  if (name === undefined) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${requested}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  }
  const handler = world.lambdaFunction(name);
  if (!handler) throw lambdaErrors.functionNotFound(functionArnOf(call, name));

  const invocationType = input.InvocationType ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    throw lambdaErrors.invalidParameterValue(`Unsupported InvocationType: ${invocationType}`);
  }
  const text = payloadText(input.Payload);
  const bytes = Buffer.byteLength(text, 'utf8');
  const limit = invocationType === 'Event' ? LAMBDA_ASYNC_PAYLOAD_BYTES : LAMBDA_SYNC_PAYLOAD_BYTES;
  if (bytes > limit) {
    throw lambdaErrors.requestTooLarge(
      `Request must be smaller than ${limit} bytes for the Invoke operation`,
    );
  }
  let event: unknown = {};
  if (text.trim() !== '') {
    try {
      event = JSON.parse(text);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw lambdaErrors.invalidRequestContent(`Could not parse request body into json: ${reason}`);
    }
  }
  if (invocationType === 'DryRun') return { StatusCode: 204 };

  const record: InvocationRecord = {
    id: world.ids.uuid(),
    functionName: name,
    invocationType,
    region: call.region,
    event,
    status: 'queued',
    attempts: 0,
  };
  world.invocations.push(record);
  if (invocationType === 'Event') {
    world.queueLambda(record, handler, call.region);
    return { StatusCode: 202, Payload: blob('') };
  }
  await world.runLambda(record, handler, call.region);
  if (record.status === 'failed' && record.error) {
    return {
      StatusCode: 200,
      FunctionError: 'Unhandled',
      ExecutedVersion: '$LATEST',
      Payload: blob(errorPayload(record.error)),
    };
  }
  let body: string;
  try {
    body = JSON.stringify(record.result) ?? 'null';
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    return {
      StatusCode: 200,
      FunctionError: 'Unhandled',
      ExecutedVersion: '$LATEST',
      Payload: blob(JSON.stringify({ errorType: 'Runtime.MarshalError', errorMessage: error.message })),
    };
  }
  return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: blob(body) };
}
