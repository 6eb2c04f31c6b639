/**
 * The SDK plug-in: a `Pluggable` whose middleware answers an SDK v3 client's calls from a simulated
 * account instead of sending them.
 *
 * The middleware sits in the `deserialize` step, just ahead of the SDK's `deserializerMiddleware`:
 * the closest to the wire it can be while still returning a typed output. Everything before it runs
 * as for a real call: the input is serialized, the retry strategy wraps each attempt (so a throttling
 * error thrown here is retried like a real one), any application middleware of the finalizeRequest
 * step runs, and the request is signed with the client's own credentials. It then answers instead of
 * the deserializer and the HTTP handler: nothing is sent. It never touches the client's config.
 *
 * Each attempt becomes a SimulatedCall: client and command names, the input, the region of the client
 * (read from its config) and the access key id the request was signed with (the identity the SDK
 * resolved, from the handler context's selected auth scheme). A router picks the account that answers
 * it; `simulatedAccountPlugin` takes that router as its one hook (see AccountRouter).
 */
import { getSmithyContext } from '@smithy/core';
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  HandlerExecutionContext,
  Pluggable,
} from '@smithy/types';

/** The name of the middleware the plug-in adds (before `deserializerMiddleware`). */
export const SIM_MIDDLEWARE_NAME = 'simulatedAccount';

/**
 * Static credentials for simulated clients: the SDK resolves and signs with them, AWS never sees them.
 * `sim.client()` passes them unless given others; code that builds its own clients passes them itself.
 */
export const SIM_CREDENTIALS = {
  accessKeyId: 'ASIASIMULATEDACCOUNT',
  secretAccessKey: 'simulated-secret-key',
};

/** One attempt of an SDK call, as it reaches the simulated AWS. */
export interface SimulatedCall {
  /** The SDK client's name, e.g. `DynamoDBClient`. */
  readonly clientName: string;
  /** The command's name, e.g. `ListTablesCommand`. */
  readonly commandName: string;
  readonly input: object;
  /** The region of the client that made the call. */
  readonly region: string;
  /** Access key id of the credentials the request was signed with; undefined for other identities. */
  readonly accessKeyId: string | undefined;
  /** The caller's `abortSignal` (`client.send(command, { abortSignal })`), when it passed one. */
  readonly abortSignal?: AbortSignal;
}

/** What answers a call: a SimulatedAccount. Resolves to the command's output, `$metadata` included. */
export interface SimulatedEndpoint {
  answer(call: SimulatedCall): Promise<object>;
}

/**
 * Picks the account that answers a call. This is the hook for several simulated accounts: route on
 * `call.accessKeyId` (e.g. credentials handed out by a simulated STS AssumeRole) to the account they
 * belong to. A SimulatedAccount's own plug-in routes every call to itself.
 */
export type AccountRouter = (call: SimulatedCall) => SimulatedEndpoint;

/** A plug-in any SDK v3 client's stack accepts: `Pluggable<any, any>`, as the SDK's own plug-ins declare. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SdkPluggable = Pluggable<any, any>;

/** The part of an SDK v3 client the plug-in uses; every `@aws-sdk/client-*` client satisfies it. */
export interface AttachableClient {
  readonly config: { readonly region: string | (() => Promise<string>) };
  readonly middlewareStack: {
    use(pluggable: SdkPluggable): void;
  };
}

/** The region of a client, read (never written) from its resolved config. */
export function regionOf(client: AttachableClient): () => Promise<string> {
  return async () => {
    const region = client.config.region;
    return typeof region === 'function' ? region() : region;
  };
}

/** The access key id of the identity the SDK resolved for this call, when it is AWS credentials. */
function accessKeyIdOf(context: HandlerExecutionContext): string | undefined {
  const scheme = getSmithyContext(context).selectedHttpAuthScheme;
  const identity =
    typeof scheme === 'object' && scheme !== null && 'identity' in scheme ? scheme.identity : undefined;
  return typeof identity === 'object' &&
    identity !== null &&
    'accessKeyId' in identity &&
    typeof identity.accessKeyId === 'string'
    ? identity.accessKeyId
    : undefined;
}

/** The abort signal the caller passed to `send`, which the SDK keeps in the handler context. */
function abortSignalOf(context: HandlerExecutionContext): { abortSignal?: AbortSignal } {
  const signal = (getSmithyContext(context) as { abortSignal?: unknown }).abortSignal;
  return signal instanceof AbortSignal ? { abortSignal: signal } : {};
}

/**
 * A plug-in answering every call of a client from the account `route` picks. `region` gives the
 * client's region (see `regionOf`). `client.middlewareStack.use(plugin)` attaches it; using a plug-in
 * again replaces the previous one (same middleware name).
 */
export function simulatedAccountPlugin(route: AccountRouter, region: () => Promise<string>): SdkPluggable {
  const middleware =
    (_next: DeserializeHandler<object, object>, context: HandlerExecutionContext) =>
    async (args: DeserializeHandlerArguments<object>): Promise<DeserializeHandlerOutput<object>> => {
      const call: SimulatedCall = {
        clientName: context.clientName ?? '',
        commandName: context.commandName ?? '',
        input: args.input,
        region: await region(),
        accessKeyId: accessKeyIdOf(context),
        ...abortSignalOf(context),
      };
      const output = await route(call).answer(call);
      // `_next` (the deserializer, then the HTTP handler) is not called: nothing goes on the wire.
      return { output, response: { statusCode: 200, headers: {}, body: undefined } };
    };
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(middleware, {
        relation: 'before',
        toMiddleware: 'deserializerMiddleware',
        name: SIM_MIDDLEWARE_NAME,
        override: true,
      });
    },
  };
}
