/**
 * The Lambda runtime of the simulated account: registered functions, their invocations, the retries
 * of failed asynchronous (Event) ones, and `drain` to wait for everything queued.
 */
import { partitionOf, type IdSource } from './ids';
import { functionArnOf } from './lambda';
import type {
  FunctionHost,
  InvocationRecord,
  InvocationType,
  SimLambdaContext,
  SimLambdaHandler,
} from './state';

const LAMBDA_TIMEOUT_MS = 15 * 60 * 1000;

export class FunctionRuntime implements FunctionHost {
  /** Every invocation, synchronous and asynchronous, in order. */
  readonly invocations: InvocationRecord[] = [];
  private readonly handlers = new Map<string, SimLambdaHandler>();
  private readonly pending = new Set<Promise<void>>();

  /** `asyncRetryAttempts`: extra runs of a failed Event invocation (AWS's default is 2). */
  constructor(
    private readonly accountId: string,
    private readonly ids: IdSource,
    private readonly asyncRetryAttempts: number,
  ) {}

  /** Registers a function, invocable in every region by name or ARN. */
  register(name: string, handler: SimLambdaHandler): void {
    this.handlers.set(name, handler);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  async invoke(
    name: string,
    type: InvocationType,
    event: unknown,
    region: string,
  ): Promise<InvocationRecord> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`FunctionRuntime: no function ${name}`);
    const record: InvocationRecord = {
      id: this.ids.uuid(),
      functionName: name,
      invocationType: type,
      region,
      event,
      status: 'queued',
      attempts: 0,
    };
    this.invocations.push(record);
    if (type === 'RequestResponse') {
      await this.run(record, handler);
      return record;
    }
    // An Event invocation starts after the Invoke call has returned.
    const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run(record, handler))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
    return record;
  }

  /**
   * Resolves once every queued asynchronous invocation, and every invocation those trigger, has
   * finished. Rejects after `timeoutMs` if some are still running.
   */
  async drain(options: { timeoutMs?: number } = {}): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout =
      options.timeoutMs === undefined
        ? undefined
        : new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`drain: ${this.pending.size} invocation(s) still running`)),
              options.timeoutMs,
            );
          });
    try {
      while (this.pending.size > 0) {
        const all = Promise.all([...this.pending]);
        await (timeout ? Promise.race([all, timeout]) : all);
      }
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Runs a handler (with the retries of an Event invocation); never rejects. */
  private async run(record: InvocationRecord, handler: SimLambdaHandler): Promise<void> {
    const allowed = record.invocationType === 'Event' ? 1 + this.asyncRetryAttempts : 1;
    record.status = 'running';
    for (;;) {
      record.attempts++;
      try {
        record.result = await handler(structuredClone(record.event), this.context(record));
        delete record.error;
        record.status = 'succeeded';
        return;
      } catch (e) {
        record.error = e instanceof Error ? e : new Error(String(e));
        if (record.attempts >= allowed) {
          record.status = 'failed';
          return;
        }
      }
    }
  }

  private context(record: InvocationRecord): SimLambdaContext {
    const started = Date.now();
    const day = new Date(started).toISOString().slice(0, 10).replace(/-/g, '/');
    const scope = { partition: partitionOf(record.region), region: record.region, accountId: this.accountId };
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: record.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArnOf(scope, record.functionName),
      memoryLimitInMB: '256',
      awsRequestId: record.id,
      logGroupName: `/aws/lambda/${record.functionName}`,
      logStreamName: `${day}/[$LATEST]${record.id.replace(/-/g, '')}`,
      getRemainingTimeInMillis: () => Math.max(0, LAMBDA_TIMEOUT_MS - (Date.now() - started)),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }
}
