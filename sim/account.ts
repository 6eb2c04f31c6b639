/**
 * A simulated AWS account that answers real AWS SDK v3 clients from in-memory state.
 *
 * `sim.attach(client)` adds a middleware to the client's stack right after the SDK's `retryMiddleware`
 * (finalizeRequest step): the command is serialized and retried by the SDK as usual, but instead of
 * signing and sending HTTP the middleware answers from this account. Errors are the SDK's own
 * exception classes, so a throttling error thrown here is retried by the client's retry strategy.
 */
import { randomUUID } from 'node:crypto';
import type { TableStatus } from '@aws-sdk/client-dynamodb';
import type { VaultType } from '@aws-sdk/client-backup';
import {
  listBackupVaults,
  listRecoveryPointsByBackupVault,
  listRecoveryPointsByResource,
  vaultArnOf,
} from './backup';
import {
  createBackup,
  describeBackup,
  describeContinuousBackups,
  describeTable,
  isValidTableName,
  listBackups,
  listTables,
  newNativeBackup,
  tableArnOf,
} from './dynamodb';
import { throttlingError, type ServiceName } from './errors';
import { IdSource, partitionOf } from './ids';
import { functionArnOf, invoke } from './lambda';
import { publish, topicArnOf } from './sns';
import {
  settleBackup,
  type CallInfo,
  type InvocationRecord,
  type NativeBackupStatus,
  type NativeBackupType,
  type PublishedMessage,
  type RecoveryPointStatus,
  type RegionState,
  type SimLambdaContext,
  type SimLambdaHandler,
  type SimWorld,
} from './state';
import { getCallerIdentity } from './sts';

export const DEFAULT_ACCOUNT_ID = '123456789012';

/** The name of the middleware `attach` adds (after `retryMiddleware`). */
export const SIM_MIDDLEWARE_NAME = 'simulatedAccount';

/** Static credentials `attach` installs so that no credential provider chain runs. */
export const SIM_CREDENTIALS = {
  accessKeyId: 'ASIASIMULATEDACCOUNT',
  secretAccessKey: 'simulated-secret-key',
};

/**
 * Documented request-rate quotas (calls per second, per account and region). Keys are operation
 * names, or `<service>:*` for a limit shared by every operation of a service.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, number>> = {
  ListBackups: 5,
  DescribeBackup: 10,
  DescribeContinuousBackups: 10,
  CreateBackup: 50,
  ListBackupVaults: 20,
  ListRecoveryPointsByBackupVault: 20,
  ListRecoveryPointsByResource: 20,
  'backup:*': 50,
};

export interface SimulatedAccountOptions {
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Initial `enabledRegions`; every region seeded through the API is added too. @default [] */
  readonly enabledRegions?: readonly string[];
  /** Latency of every call in ms: one number, or per operation name with `'*'` as the fallback. @default 0 */
  readonly latencyMs?: number | Readonly<Record<string, number>>;
  /** Multiplier applied to latencies, rate-limit windows and backup completion delays. @default 1 */
  readonly timeScale?: number;
  /**
   * Calls per second per region, by operation name or `<service>:*`, merged over DEFAULT_RATE_LIMITS.
   * Give `Infinity` to lift a default limit. A call over the limit is throttled.
   */
  readonly rateLimits?: Readonly<Record<string, number>>;
  /**
   * The first N calls of each operation in each region are throttled: one number for every operation,
   * or per operation name with `'*'` as the fallback. @default 0
   */
  readonly throttleFirstCalls?: number | Readonly<Record<string, number>>;
  /** A backup made by CreateBackup turns AVAILABLE after this many ms (0: at once). @default 0 */
  readonly backupCompletesAfterMs?: number;
  /**
   * Largest page an operation returns whatever the request's Limit/MaxResults (services may return
   * fewer items than asked), by operation name. Use it to force pagination. @default {}
   */
  readonly maxPageSize?: Readonly<Record<string, number>>;
  /** Extra runs of a failed asynchronous (Event) invocation; AWS's default is 2. @default 0 */
  readonly asyncRetryAttempts?: number;
  /** CreateBackup fails with BackupInUseException while a backup of the table is CREATING. @default true */
  readonly enforceBackupInUse?: boolean;
  /** The ARN GetCallerIdentity returns. @default an assumed-role ARN in the account */
  readonly callerArn?: string;
  /** Seed of the generated ids (table ids, ARN suffixes). @default 1 */
  readonly seed?: number;
}

export interface AttachOptions {
  /**
   * Keep the client's own credentials instead of installing SIM_CREDENTIALS. The SDK resolves
   * credentials before the simulated middleware runs, so the client then needs resolvable ones.
   * @default false
   */
  readonly keepCredentials?: boolean;
}

/** The part of an SDK v3 client `attach` uses; every `@aws-sdk/client-*` client satisfies it. */
export interface AttachableClient {
  config: { region: string | (() => Promise<string>) };
  middlewareStack: {
    addRelativeTo(
      middleware: never,
      options: { relation: 'before' | 'after'; toMiddleware: string; name?: string; override?: boolean },
    ): void;
    remove(toRemove: string): boolean;
  };
}

export interface CallCounter {
  ok: number;
  throttled: number;
  /** Calls that reached the model and failed with a (non-throttling) service error. */
  failed: number;
}

export type CallOutcome = keyof CallCounter;
export type ExpectedStatus = 'COMPLIANT' | 'NON_COMPLIANT';

type OperationModel = (world: SimWorld, call: CallInfo, input: never) => unknown;

const OPERATIONS: Readonly<Record<ServiceName, Readonly<Record<string, OperationModel>>>> = {
  dynamodb: {
    ListTables: listTables,
    DescribeTable: describeTable,
    ListBackups: listBackups,
    CreateBackup: createBackup,
    DescribeBackup: describeBackup,
    DescribeContinuousBackups: describeContinuousBackups,
  },
  backup: {
    ListBackupVaults: listBackupVaults,
    ListRecoveryPointsByBackupVault: listRecoveryPointsByBackupVault,
    ListRecoveryPointsByResource: listRecoveryPointsByResource,
  },
  sns: { Publish: publish },
  lambda: { Invoke: invoke },
  sts: { GetCallerIdentity: getCallerIdentity },
};

const SERVICE_BY_CLIENT: Readonly<Record<string, ServiceName>> = {
  DynamoDBClient: 'dynamodb',
  BackupClient: 'backup',
  SNSClient: 'sns',
  LambdaClient: 'lambda',
  STSClient: 'sts',
};

const USABLE_NATIVE: readonly NativeBackupStatus[] = ['AVAILABLE'];
const USABLE_RECOVERY_POINT: readonly RecoveryPointStatus[] = ['COMPLETED', 'AVAILABLE'];
const DAY_MS = 24 * 60 * 60 * 1000;
const LAMBDA_TIMEOUT_MS = 15 * 60 * 1000;

function operationName(op: string): string {
  return op.replace(/Command$/, '');
}

function perOperation(value: number | Readonly<Record<string, number>> | undefined, op: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  return value[op] ?? value['*'] ?? 0;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export class SimulatedAccount implements SimWorld {
  readonly accountId: string;
  /** Regions a caller should treat as enabled for the account (stands in for account:ListRegions). */
  readonly enabledRegions: string[];
  /** Every message SNS accepted, in order. */
  readonly published: PublishedMessage[] = [];
  /** Every Lambda invocation, synchronous and asynchronous, in order. */
  readonly invocations: InvocationRecord[] = [];
  /** @internal id source of the models */
  readonly ids: IdSource;
  /** Adjustable at run time; applies from the next call. */
  timeScale: number;
  /** Adjustable at run time; applies from the next call (see SimulatedAccountOptions). */
  throttleFirstCalls: number | Readonly<Record<string, number>>;
  readonly enforceBackupInUse: boolean;

  private readonly latencyMs: number | Readonly<Record<string, number>>;
  private readonly rateLimits: Readonly<Record<string, number>>;
  private readonly backupCompletesAfterMs: number;
  private readonly maxPageSize: Readonly<Record<string, number>>;
  private readonly asyncRetryAttempts: number;
  private readonly callerArnValue: string;
  private readonly regions = new Map<string, RegionState>();
  private readonly functions = new Map<string, SimLambdaHandler>();
  private readonly pending = new Set<Promise<void>>();
  private counters: Record<string, Record<string, CallCounter>> = {};
  private firstCalls = new Map<string, number>();
  private windows = new Map<string, number[]>();

  constructor(options: SimulatedAccountOptions = {}) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.enabledRegions = [...(options.enabledRegions ?? [])];
    this.latencyMs = options.latencyMs ?? 0;
    this.timeScale = options.timeScale ?? 1;
    this.rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
    this.throttleFirstCalls = options.throttleFirstCalls ?? 0;
    this.backupCompletesAfterMs = options.backupCompletesAfterMs ?? 0;
    this.maxPageSize = options.maxPageSize ?? {};
    this.asyncRetryAttempts = options.asyncRetryAttempts ?? 0;
    this.enforceBackupInUse = options.enforceBackupInUse ?? true;
    this.callerArnValue =
      options.callerArn ??
      `arn:aws:sts::${this.accountId}:assumed-role/dynamodb-backup-auditor/simulated-session`;
    this.ids = new IdSource(options.seed ?? 1);
  }

  // ---- Plugging into SDK clients ----------------------------------------------------------------

  /**
   * Routes every command of `client` to this account. Returns the client. Attaching again (to this or
   * another account) replaces the previous attachment.
   */
  attach<C extends AttachableClient>(client: C, options: AttachOptions = {}): C {
    const middleware =
      (_next: unknown, context: { clientName?: string; commandName?: string }) =>
      async (args: { input?: unknown }) => {
        const regionConfig = client.config.region;
        const region = typeof regionConfig === 'function' ? await regionConfig() : regionConfig;
        const output = await this.handle(
          context.clientName ?? '',
          context.commandName ?? '',
          region,
          args.input,
        );
        return { output, response: { statusCode: 200, headers: {}, body: undefined } };
      };
    client.middlewareStack.remove(SIM_MIDDLEWARE_NAME);
    client.middlewareStack.addRelativeTo(middleware as never, {
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      name: SIM_MIDDLEWARE_NAME,
      override: true,
    });
    if (!options.keepCredentials) {
      // The SDK reads config.credentials for every request (httpAuthSchemeMiddleware, before us).
      Object.assign(client.config, { credentials: async () => SIM_CREDENTIALS });
    }
    return client;
  }

  /** Stops routing `client` to the account (its credentials stay as attach left them). */
  detach(client: AttachableClient): void {
    client.middlewareStack.remove(SIM_MIDDLEWARE_NAME);
  }

  /** Creates a client with `config` and attaches it: `sim.client(DynamoDBClient, { region: 'eu-west-1' })`. */
  client<C extends AttachableClient, Config extends { region?: unknown }>(
    ctor: new (config: Config) => C,
    config: Config,
    options: AttachOptions = {},
  ): C {
    return this.attach(new ctor(config), options);
  }

  private async handle(clientName: string, commandName: string, region: string, input: unknown) {
    const service = SERVICE_BY_CLIENT[clientName];
    const operation = operationName(commandName);
    const model = service ? OPERATIONS[service][operation] : undefined;
    if (!service || !model) {
      throw new Error(
        `SimulatedAccount does not model ${clientName || 'this client'}.${operation || '(unknown command)'}: add it to sim/`,
      );
    }
    const counter = this.counter(region, operation);
    const throttled = this.admit(service, operation, region);
    await sleep(perOperation(this.latencyMs, operation) * this.timeScale);
    if (throttled) {
      counter.throttled++;
      throw throttlingError(service, operation);
    }
    const call: CallInfo = { region, accountId: this.accountId, partition: partitionOf(region), operation };
    try {
      const output = await model(this, call, (input ?? {}) as never);
      counter.ok++;
      return {
        ...(output as object),
        $metadata: { httpStatusCode: 200, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 },
      };
    } catch (e) {
      counter.failed++;
      throw e;
    }
  }

  /** True when this call is throttled (first-N rule or a rate limit); records admitted calls. */
  private admit(service: ServiceName, operation: string, region: string): boolean {
    const key = `${region}|${operation}`;
    const seen = (this.firstCalls.get(key) ?? 0) + 1;
    this.firstCalls.set(key, seen);
    if (seen <= perOperation(this.throttleFirstCalls, operation)) return true;

    const now = performance.now();
    const windowStart = now - 1000 * this.timeScale;
    const limited: number[][] = [];
    for (const [limitKey, windowKey] of [
      [operation, key],
      [`${service}:*`, `${region}|${service}:*`],
    ] as const) {
      const limit = this.rateLimits[limitKey];
      if (limit === undefined || !Number.isFinite(limit)) continue;
      const window = this.windows.get(windowKey) ?? [];
      this.windows.set(windowKey, window);
      while (window.length > 0 && (window[0] ?? 0) <= windowStart) window.shift();
      // Throttled calls are not admitted, so they do not use up the window.
      if (window.length >= limit) return true;
      limited.push(window);
    }
    for (const window of limited) window.push(now);
    return false;
  }

  // ---- Counters ---------------------------------------------------------------------------------

  /** Calls per region, per operation name (e.g. `calls['us-east-1'].ListBackups.throttled`). */
  get calls(): Readonly<Record<string, Readonly<Record<string, Readonly<CallCounter>>>>> {
    return this.counters;
  }

  /**
   * Number of calls (every attempt reaching the account), optionally for one operation (`'ListBackups'`
   * or `'ListBackupsCommand'`), one region and one outcome.
   */
  callCount(operation?: string, region?: string, outcome?: CallOutcome): number {
    const op = operation === undefined ? undefined : operationName(operation);
    let total = 0;
    for (const [r, byOp] of Object.entries(this.counters)) {
      if (region !== undefined && r !== region) continue;
      for (const [o, c] of Object.entries(byOp)) {
        if (op !== undefined && o !== op) continue;
        total += outcome === undefined ? c.ok + c.throttled + c.failed : c[outcome];
      }
    }
    return total;
  }

  /** Zeroes the counters and restarts the throttle-first-calls and rate-limit windows. */
  resetCounters(): void {
    this.counters = {};
    this.firstCalls = new Map();
    this.windows = new Map();
  }

  private counter(region: string, operation: string): CallCounter {
    const byOp = (this.counters[region] ??= {});
    return (byOp[operation] ??= { ok: 0, throttled: 0, failed: 0 });
  }

  // ---- Seeding ----------------------------------------------------------------------------------

  /** Adds a table (ACTIVE unless told otherwise). Returns its ARN. */
  addTable(
    region: string,
    name: string,
    opts: { status?: TableStatus; createdAt?: Date; itemCount?: number; pointInTimeRecovery?: boolean } = {},
  ): string {
    if (!isValidTableName(name)) throw new Error(`addTable: invalid table name '${name}'`);
    const state = this.regionState(region);
    if (state.tables.has(name)) throw new Error(`addTable: table ${name} already exists in ${region}`);
    this.enableRegion(region);
    const itemCount = opts.itemCount ?? this.ids.int(0, 2_000_000);
    const arn = tableArnOf(this.callInfo(region), name);
    state.tables.set(name, {
      name,
      arn,
      id: this.ids.uuid(),
      region,
      status: opts.status ?? 'ACTIVE',
      createdAt: opts.createdAt ?? new Date(Date.now() - 400 * DAY_MS),
      itemCount,
      sizeBytes: itemCount * 180 + this.ids.int(0, 4096),
      pointInTimeRecovery: opts.pointInTimeRecovery ?? false,
    });
    return arn;
  }

  /** Changes a table's status (e.g. to DELETING). */
  setTableStatus(region: string, name: string, status: TableStatus): void {
    const table = this.regionState(region).tables.get(name);
    if (!table) throw new Error(`setTableStatus: no table ${name} in ${region}`);
    table.status = status;
  }

  /** Deletes a table. Its native backups and recovery points stay listed, as in AWS. */
  deleteTable(region: string, name: string): void {
    if (!this.regionState(region).tables.delete(name)) {
      throw new Error(`deleteTable: no table ${name} in ${region}`);
    }
  }

  /**
   * Adds a native DynamoDB backup of an existing table (seed a deleted table's backups before
   * deleteTable). A seeded CREATING backup stays CREATING. Returns the backup ARN.
   */
  addNativeBackup(
    region: string,
    tableName: string,
    opts: { status: NativeBackupStatus; type?: NativeBackupType; createdAt?: Date; name?: string },
  ): string {
    const table = this.regionState(region).tables.get(tableName);
    if (!table) {
      throw new Error(
        `addNativeBackup: no table ${tableName} in ${region} (add it first, delete it afterwards)`,
      );
    }
    const createdAt = opts.createdAt ?? new Date();
    const name =
      opts.name ??
      `${tableName}-${createdAt
        .toISOString()
        .replace(/[:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}`;
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name))
      throw new Error(`addNativeBackup: invalid backup name '${name}'`);
    const backup = newNativeBackup(this.ids, table, {
      name,
      status: opts.status,
      type: opts.type ?? 'USER',
      createdAt,
    });
    this.regionState(region).backups.push(backup);
    return backup.arn;
  }

  /** Adds a backup vault if missing. Returns its ARN. */
  addBackupVault(
    region: string,
    name: string,
    opts: { vaultType?: VaultType; createdAt?: Date } = {},
  ): string {
    const state = this.regionState(region);
    const existing = state.vaults.get(name);
    if (existing) return existing.arn;
    this.enableRegion(region);
    const arn = vaultArnOf(this.callInfo(region), name);
    state.vaults.set(name, {
      name,
      arn,
      region,
      type: opts.vaultType ?? 'BACKUP_VAULT',
      createdAt: opts.createdAt ?? new Date(Date.now() - 500 * DAY_MS),
    });
    return arn;
  }

  /**
   * Adds an AWS Backup recovery point of table `tableName` of `region` (the table need not exist any
   * more). `vaultRegion` stores it in another region's vault, as a cross-region copy: it keeps the
   * source table's ARN. The vault is created if missing. Returns the recovery point ARN.
   */
  addRecoveryPoint(
    region: string,
    tableName: string,
    opts: {
      status: RecoveryPointStatus;
      vault?: string;
      createdAt?: Date;
      completedAt?: Date;
      vaultRegion?: string;
      backupPlanId?: string;
    },
  ): string {
    const vaultRegion = opts.vaultRegion ?? region;
    const vaultName = opts.vault ?? 'Default';
    this.enableRegion(region);
    this.addBackupVault(vaultRegion, vaultName);
    const table = this.regionState(region).tables.get(tableName);
    const arn = `arn:${partitionOf(vaultRegion)}:backup:${vaultRegion}:${this.accountId}:recovery-point:${this.ids.uuid()}`;
    this.regionState(vaultRegion).recoveryPoints.push({
      arn,
      region: vaultRegion,
      vaultName,
      resourceArn: tableArnOf(this.callInfo(region), tableName),
      resourceName: tableName,
      status: opts.status,
      createdAt: opts.createdAt ?? new Date(),
      sizeBytes: table?.sizeBytes ?? this.ids.int(1024, 10_000_000),
      ...(opts.completedAt ? { completedAt: opts.completedAt } : {}),
      ...(opts.backupPlanId ? { backupPlanId: opts.backupPlanId } : {}),
    });
    return arn;
  }

  /** Adds an SNS topic (Publish to a topic that does not exist fails, as in AWS). Returns its ARN. */
  addTopic(region: string, name: string): string {
    const state = this.regionState(region);
    const arn = topicArnOf(this.callInfo(region), name);
    if (!state.topics.has(name)) state.topics.set(name, { name, arn, region });
    this.enableRegion(region);
    return arn;
  }

  /** Registers a Lambda function, invocable in every region by name or ARN. */
  registerFunction(name: string, handler: SimLambdaHandler): void {
    this.functions.set(name, handler);
  }

  // ---- Reading the state ------------------------------------------------------------------------

  tableArn(region: string, name: string): string {
    return tableArnOf(this.callInfo(region), name);
  }

  /** Names of the tables ListTables returns in `region`, sorted. */
  tableNames(region: string): string[] {
    return [...this.regionState(region).tables.keys()].sort();
  }

  /**
   * Ground truth for rule DynamoDB-005: COMPLIANT when the table has a usable backup in its own
   * region: a native backup AVAILABLE (USER or SYSTEM) or an AWS Backup recovery point COMPLETED or
   * AVAILABLE whose resource is the table. Copies stored in other regions do not count.
   */
  expectedStatus(region: string, tableName: string): ExpectedStatus {
    const state = this.regionState(region);
    const table = state.tables.get(tableName);
    if (!table) throw new Error(`expectedStatus: no table ${tableName} in ${region}`);
    const now = Date.now();
    const native = state.backups.some(
      (b) => b.tableArn === table.arn && USABLE_NATIVE.includes(settleBackup(b, now)),
    );
    const recoveryPoint = state.recoveryPoints.some(
      (rp) => rp.resourceArn === table.arn && USABLE_RECOVERY_POINT.includes(rp.status),
    );
    return native || recoveryPoint ? 'COMPLIANT' : 'NON_COMPLIANT';
  }

  /** expectedStatus of every table of `region`. */
  expectedStatuses(region: string): Record<string, ExpectedStatus> {
    return Object.fromEntries(
      this.tableNames(region).map((name) => [name, this.expectedStatus(region, name)]),
    );
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

  // ---- SimWorld (used by the operation models) --------------------------------------------------

  /** @internal */
  regionState(region: string): RegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = { tables: new Map(), backups: [], vaults: new Map(), recoveryPoints: [], topics: new Map() };
      this.regions.set(region, state);
    }
    return state;
  }

  /** @internal */
  pageSize(operation: string, requested: number): number {
    return Math.min(requested, this.maxPageSize[operation] ?? requested);
  }

  /** @internal */
  backupCompletionDelayMs(): number {
    return this.backupCompletesAfterMs * this.timeScale;
  }

  /** @internal */
  callerArn(): string {
    return this.callerArnValue;
  }

  /** @internal */
  callerUserId(): string {
    const session = this.callerArnValue.split('/').pop() ?? 'simulated-session';
    return this.callerArnValue.includes(':assumed-role/')
      ? `AROASIMULATEDROLE0001:${session}`
      : 'AIDASIMULATEDUSER0001';
  }

  /** @internal */
  lambdaFunction(name: string): SimLambdaHandler | undefined {
    return this.functions.get(name);
  }

  /** @internal Runs a handler (with async retries for Event invocations); never rejects. */
  async runLambda(record: InvocationRecord, handler: SimLambdaHandler, region: string): Promise<void> {
    const allowed = record.invocationType === 'Event' ? 1 + this.asyncRetryAttempts : 1;
    record.status = 'running';
    for (;;) {
      record.attempts++;
      try {
        record.result = await handler(structuredClone(record.event), this.lambdaContext(record, region));
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

  /** @internal Starts an Event invocation after the Invoke call has returned. */
  queueLambda(record: InvocationRecord, handler: SimLambdaHandler, region: string): void {
    const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.runLambda(record, handler, region))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  private lambdaContext(record: InvocationRecord, region: string): SimLambdaContext {
    const started = Date.now();
    const day = new Date(started).toISOString().slice(0, 10).replace(/-/g, '/');
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: record.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArnOf(this.callInfo(region), record.functionName),
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

  private callInfo(region: string): Pick<CallInfo, 'partition' | 'region' | 'accountId'> {
    return { region, accountId: this.accountId, partition: partitionOf(region) };
  }

  private enableRegion(region: string): void {
    if (!this.enabledRegions.includes(region)) this.enabledRegions.push(region);
  }
}
