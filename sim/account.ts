/**
 * A simulated AWS account: in-memory state seeded through a small API, answering real AWS SDK v3
 * clients through the plug-in of plugin.ts. Admission (throttling), counters and the Lambda runtime
 * are their own modules; this class composes them and holds the account's state.
 */
import { randomUUID } from 'node:crypto';
import type { TableStatus } from '@aws-sdk/client-dynamodb';
import type { VaultType } from '@aws-sdk/client-backup';
import { Admission, type PerOperation } from './admission';
import { recoveryPointArnOf, vaultArnOf } from './backup';
import { CallCounters, type CallCounter, type CallOutcome } from './counters';
import { isValidName, newNativeBackup, tableArnOf } from './dynamodb';
import { throttlingError } from './errors';
import { Faults, type Fault } from './faults';
import { FunctionRuntime } from './functions';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { IdSource, partitionOf } from './ids';
import { operationFor } from './operations';
import {
  regionOf,
  SIM_CREDENTIALS,
  simulatedAccountPlugin,
  type AttachableClient,
  type SdkPluggable,
  type SimulatedCall,
  type SimulatedEndpoint,
} from './plugin';
import { topicArnOf } from './sns';
import {
  settleBackup,
  type ArnScope,
  type BucketRecord,
  type CallInfo,
  type InvocationRecord,
  type NativeBackupStatus,
  type NativeBackupType,
  type PublishedMessage,
  type RecoveryPointStatus,
  type RegionState,
  type S3ObjectRecord,
  type SimLambdaHandler,
  type SimWorld,
} from './state';
import { sleep } from './sleep';

export const DEFAULT_ACCOUNT_ID = '123456789012';

export interface SimulatedAccountOptions {
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Latency of every call in ms. @default 0 */
  readonly latencyMs?: number;
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
  readonly throttleFirstCalls?: PerOperation;
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
  /** Seed of the generated ids (table ids, ARN suffixes). @default 1 */
  readonly seed?: number;
}

export type ExpectedStatus = 'COMPLIANT' | 'NON_COMPLIANT' | 'EXEMPT';

const USABLE_NATIVE: readonly NativeBackupStatus[] = ['AVAILABLE'];
const USABLE_RECOVERY_POINT: readonly RecoveryPointStatus[] = ['COMPLETED', 'AVAILABLE'];
const DAY_MS = 24 * 60 * 60 * 1000;

export class SimulatedAccount implements SimWorld, SimulatedEndpoint {
  readonly accountId: string;
  /** Regions a caller should treat as enabled (stands in for account:ListRegions): every seeded one. */
  readonly enabledRegions: string[] = [];
  /** Every message SNS accepted, in order. */
  readonly published: PublishedMessage[] = [];
  /** @internal S3 buckets by name (see addBucket, objects) */
  readonly buckets = new Map<string, BucketRecord>();
  /** @internal id source of the models */
  readonly ids: IdSource;
  /** @internal the Lambda runtime the Invoke model uses */
  readonly functions: FunctionRuntime;
  readonly enforceBackupInUse: boolean;
  /** Adjustable at run time; applies from the next call. */
  timeScale: number;

  private readonly latencyMs: number;
  private readonly backupCompletesAfterMs: number;
  private readonly maxPageSize: Readonly<Record<string, number>>;
  private readonly admission: Admission;
  private readonly counters = new CallCounters();
  private readonly faults = new Faults();
  private readonly regions = new Map<string, RegionState>();

  constructor(options: SimulatedAccountOptions = {}) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.ids = new IdSource(options.seed ?? 1);
    this.functions = new FunctionRuntime(this.accountId, this.ids, options.asyncRetryAttempts ?? 0);
    this.enforceBackupInUse = options.enforceBackupInUse ?? true;
    this.timeScale = options.timeScale ?? 1;
    this.latencyMs = options.latencyMs ?? 0;
    this.backupCompletesAfterMs = options.backupCompletesAfterMs ?? 0;
    this.maxPageSize = options.maxPageSize ?? {};
    this.admission = new Admission(options);
  }

  // ---- Plugging into SDK clients ----------------------------------------------------------------

  /** The plug-in routing every call of `client` to this account, in `client`'s region. */
  pluginFor(client: AttachableClient): SdkPluggable {
    return simulatedAccountPlugin(() => this, regionOf(client));
  }

  /**
   * Routes every command of `client` to this account (`client.middlewareStack.use(sim.pluginFor(client))`)
   * and returns the client. Attaching again, to this or another account, replaces the attachment. The
   * client signs with its own credentials, so it needs resolvable ones (see SIM_CREDENTIALS).
   */
  attach<C extends AttachableClient>(client: C): C {
    client.middlewareStack.use(this.pluginFor(client));
    return client;
  }

  /**
   * Creates a client attached to this account, with SIM_CREDENTIALS unless `config` has credentials:
   * `sim.client(DynamoDBClient, { region: 'eu-west-1' })`.
   */
  client<C extends AttachableClient, Config extends object>(
    ctor: new (config: Config) => C,
    config: Config,
  ): C {
    return this.attach(new ctor({ credentials: SIM_CREDENTIALS, ...config }));
  }

  /**
   * Answers one attempt of an SDK call: admission, latency, injected faults, then the operation's
   * model. A call whose abort signal fires first is cancelled, as the SDK's HTTP handler cancels it.
   */
  async answer(request: SimulatedCall): Promise<object> {
    const { service, operation, model } = operationFor(request.clientName, request.commandName);
    const { region, abortSignal } = request;
    const counter = this.counters.of(region, operation);
    const throttled = this.admission.throttles(service, operation, region, this.timeScale);
    await sleep(this.latencyMs * this.timeScale, abortSignal);
    if (throttled) {
      counter.throttled++;
      throw throttlingError(service, operation);
    }
    const call: CallInfo = { ...this.scope(region), operation, accessKeyId: request.accessKeyId };
    try {
      const refused = this.faults.take(operation, region, request.input, 'refused');
      if (refused) throw refused;
      const output = await model(this, call, request.input as never);
      const lost = this.faults.take(operation, region, request.input, 'lost');
      if (lost) throw lost;
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

  // ---- Throttling, faults and counters ----------------------------------------------------------

  /** Injects a fault (see sim/faults.ts): `sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.timeout, when: 'lost' })`. */
  inject(fault: Fault): void {
    this.faults.add(fault);
  }

  /** Adjustable at run time; applies from the next call (see SimulatedAccountOptions). */
  get throttleFirstCalls(): PerOperation {
    return this.admission.throttleFirstCalls;
  }

  set throttleFirstCalls(value: PerOperation) {
    this.admission.throttleFirstCalls = value;
  }

  /** Calls per region, per operation name (e.g. `calls['us-east-1'].ListBackups.throttled`). */
  get calls(): Readonly<Record<string, Readonly<Record<string, Readonly<CallCounter>>>>> {
    return this.counters.calls;
  }

  /**
   * Number of calls (every attempt reaching the account), optionally for one operation (`'ListBackups'`
   * or `'ListBackupsCommand'`), one region and one outcome.
   */
  callCount(operation?: string, region?: string, outcome?: CallOutcome): number {
    return this.counters.count(operation, region, outcome);
  }

  /** Zeroes the counters and restarts the throttle-first-calls and rate-limit windows. */
  resetCounters(): void {
    this.counters.reset();
    this.admission.reset();
  }

  // ---- Seeding ----------------------------------------------------------------------------------

  /** Adds a table (ACTIVE unless told otherwise). Returns its ARN. */
  addTable(region: string, name: string, opts: { status?: TableStatus; createdAt?: Date } = {}): string {
    if (!isValidName(name)) throw new Error(`addTable: invalid table name '${name}'`);
    const state = this.regionState(region);
    if (state.tables.has(name)) throw new Error(`addTable: table ${name} already exists in ${region}`);
    this.enableRegion(region);
    const arn = tableArnOf(this.scope(region), name);
    state.tables.set(name, {
      name,
      arn,
      id: this.ids.uuid(),
      status: opts.status ?? 'ACTIVE',
      createdAt: opts.createdAt ?? new Date(Date.now() - 400 * DAY_MS),
    });
    return arn;
  }

  /** Sets tags on a table (merged over its existing tags). */
  tagTable(region: string, name: string, tags: Record<string, string>): void {
    const table = this.regionState(region).tables.get(name);
    if (!table) throw new Error(`tagTable: no table ${name} in ${region}`);
    const state = this.regionState(region);
    state.tags.set(table.arn, { ...state.tags.get(table.arn), ...tags });
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
    const name = opts.name ?? `${tableName}-${createdAt.toISOString().replace(/[:]|\.\d+/g, '')}`;
    if (!isValidName(name)) throw new Error(`addNativeBackup: invalid backup name '${name}'`);
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
  addBackupVault(region: string, name: string, opts: { vaultType?: VaultType } = {}): string {
    const state = this.regionState(region);
    const existing = state.vaults.get(name);
    if (existing) return existing.arn;
    this.enableRegion(region);
    const arn = vaultArnOf(this.scope(region), name);
    state.vaults.set(name, { name, arn, type: opts.vaultType ?? 'BACKUP_VAULT' });
    return arn;
  }

  /**
   * Adds an AWS Backup recovery point of table `tableName` of `region` (the table need not exist any
   * more) to vault `vault` (default 'Default', created if missing). `vaultRegion` stores it in another
   * region's vault, as a cross-region copy: it keeps the source table's ARN. Returns its ARN.
   */
  addRecoveryPoint(
    region: string,
    tableName: string,
    opts: { status: RecoveryPointStatus; vault?: string; createdAt?: Date; vaultRegion?: string },
  ): string {
    const vaultRegion = opts.vaultRegion ?? region;
    const vaultName = opts.vault ?? 'Default';
    this.enableRegion(region);
    this.addBackupVault(vaultRegion, vaultName);
    const arn = recoveryPointArnOf(this.scope(vaultRegion), this.ids.uuid());
    this.regionState(vaultRegion).recoveryPoints.push({
      arn,
      vaultName,
      resourceArn: tableArnOf(this.scope(region), tableName),
      status: opts.status,
      createdAt: opts.createdAt ?? new Date(),
    });
    return arn;
  }

  /** Adds an SNS topic (Publish to a topic that does not exist fails, as in AWS). Returns its ARN. */
  addTopic(region: string, name: string): string {
    const state = this.regionState(region);
    const arn = topicArnOf(this.scope(region), name);
    if (!state.topics.has(name)) state.topics.set(name, { name, arn });
    this.enableRegion(region);
    return arn;
  }

  /** Adds an S3 bucket in `region` (PutObject through another region's endpoint is redirected). */
  addBucket(region: string, name: string): string {
    const existing = this.buckets.get(name);
    if (existing && existing.region !== region) {
      throw new Error(`addBucket: bucket ${name} already exists in ${existing.region}`);
    }
    if (!existing) this.buckets.set(name, { name, region, objects: new Map() });
    this.enableRegion(region);
    return name;
  }

  /** Enables Security Hub in `region` (it is off until then, as in a new account). */
  enableSecurityHub(region: string): void {
    this.regionState(region).securityHub.enabled = true;
    this.enableRegion(region);
  }

  /** Registers a Lambda function, invocable in every region by name or ARN. */
  registerFunction(name: string, handler: SimLambdaHandler): void {
    this.functions.register(name, handler);
  }

  // ---- Reading the state ------------------------------------------------------------------------

  /** Every Lambda invocation, synchronous and asynchronous, in order. */
  get invocations(): readonly InvocationRecord[] {
    return this.functions.invocations;
  }

  /**
   * Resolves once every queued asynchronous invocation, and every invocation those trigger, has
   * finished. Rejects after `timeoutMs` if some are still running.
   */
  drain(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.functions.drain(options);
  }

  /** The objects of a bucket by key (empty for a bucket without objects). */
  objects(bucket: string): ReadonlyMap<string, S3ObjectRecord> {
    const record = this.buckets.get(bucket);
    if (!record) throw new Error(`objects: no bucket ${bucket}`);
    return record.objects;
  }

  /** The findings Security Hub holds in `region`, as last imported, sorted by Id. */
  securityHubFindings(region: string): AwsSecurityFinding[] {
    return [...this.regionState(region).securityHub.findings.values()].sort((a, b) =>
      (a.Id ?? '') < (b.Id ?? '') ? -1 : 1,
    );
  }

  tableArn(region: string, name: string): string {
    return tableArnOf(this.scope(region), name);
  }

  /** Names of the tables ListTables returns in `region`, sorted. */
  tableNames(region: string): string[] {
    return [...this.regionState(region).tables.keys()].sort();
  }

  /**
   * Ground truth for rule DynamoDB-005: COMPLIANT when the table has a usable backup in its own
   * region: a native backup AVAILABLE (USER or SYSTEM) or an AWS Backup recovery point COMPLETED or
   * AVAILABLE whose resource is the table. Copies stored in other regions do not count. A table
   * without one that carries a non-empty `dynamodb-005:exempt-reason` tag, and no
   * `dynamodb-005:exempt-until` date in the past, is EXEMPT (the audit's default policy otherwise).
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
    if (native || recoveryPoint) return 'COMPLIANT';
    const tags = state.tags.get(table.arn) ?? {};
    const until = tags['dynamodb-005:exempt-until'];
    const today = new Date(now).toISOString().slice(0, 10);
    const exempt =
      Boolean(tags['dynamodb-005:exempt-reason']?.trim()) && (until === undefined || until >= today);
    return exempt ? 'EXEMPT' : 'NON_COMPLIANT';
  }

  /** expectedStatus of every table of `region`. */
  expectedStatuses(region: string): Record<string, ExpectedStatus> {
    return Object.fromEntries(
      this.tableNames(region).map((name) => [name, this.expectedStatus(region, name)]),
    );
  }

  // ---- SimWorld (used by the operation models) --------------------------------------------------

  /** @internal */
  regionState(region: string): RegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = {
        tables: new Map(),
        backups: [],
        vaults: new Map(),
        recoveryPoints: [],
        topics: new Map(),
        tags: new Map(),
        securityHub: { enabled: false, findings: new Map() },
      };
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

  private scope(region: string): ArnScope {
    return { region, accountId: this.accountId, partition: partitionOf(region) };
  }

  private enableRegion(region: string): void {
    if (!this.enabledRegions.includes(region)) this.enabledRegions.push(region);
  }
}
