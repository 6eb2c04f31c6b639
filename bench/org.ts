import { SecurityHubClient } from '@aws-sdk/client-securityhub';
/**
 * Organization benchmark (`npm run bench:org`, or `npm run bench:org -- --accounts 100 --scale 0.5`):
 * one scheduled run over a simulated AWS Organization of 1,000 accounts × 17 regions, at
 * MaxConcurrentAudits 10, 40 and 200. Prints the run's simulated wall time, the calls per account ×
 * region, the Step Functions state transitions per run and their cost, and PASS/FAIL for the target:
 * the whole organization inside one hour at the default concurrency (40), with no throttling error in
 * any finding. Always exits 0 when it ran: it is a benchmark, not a test.
 *
 * THE MODEL (printed at the start of the output too). Running 17,000 full audits in real time is not
 * needed to know how long the run takes; what is needed is how long each kind of audit takes and how
 * the Distributed Map schedules them. So:
 *
 * 1. Measured, on the simulated organization (sim/organization.ts), with real SDK v3 clients and this
 *    project's code, on the simulator's clock (simulated time = real time / timeScale; timeScale 1 by
 *    default, so the SDK's own CPU per call counts once, as in a Lambda):
 *    - the plan's account listing: `listOrganizationAccounts` over 1,000 accounts, ListAccounts at 20
 *      a page with an empty page before each page, at the modelled Organizations rate;
 *    - one account × region audit per sample size (0 … 2,500 tables, the project's scenario mix):
 *      AssumeRole of the member role through `MemberCredentials` (fromTemporaryCredentials), then the
 *      real audit core `collectFindings` with the member's credentials, under the simulator's rate
 *      limits; calls by operation and every finding checked against the simulator's ground truth;
 *    - an audit of an account whose member role is missing (AssumeRole AccessDenied);
 *    - a validation run: every region of a subset of accounts, really run concurrently at
 *      MaxConcurrentAudits 40, to compare the scheduling model's prediction with a measured run.
 * 2. Modelled, for 1,000 accounts × 17 regions (17,000 items, plan order): the Distributed Map starts
 *    items in order as slots free up, at most MaxConcurrentAudits at once. An item's duration is a
 *    fixed Step Functions + Lambda overhead (below; a cold start for each of the first concurrency
 *    invocations), its AssumeRole through a model of STS (the same sliding one-second window as the
 *    simulator, at its AssumeRole rate, shared by every item since they all call from the auditor's
 *    account; a throttled call waits as the SDK's standard retry does, random × 2^attempt × 500 ms up to
 *    20 s, at most 10 attempts), and the measured audit time of its table count (linear between the
 *    samples). Plan and aggregate add their measured (listing, summarizing) and assumed (S3) times.
 *    Each item assumes the member role itself (credentials are cached per invocation, and one
 *    invocation audits one account × region), so STS sees one AssumeRole per item; the wall time is
 *    also modelled at other AssumeRole rates, since that quota is the one every item shares.
 * 3. Step Functions: a STANDARD workflow is billed per state transition. The parent enters 3 states
 *    (Plan, Audits, Aggregate); the Distributed Map is billed one transition per child execution it
 *    starts, and each STANDARD child enters its one Audit state; every Lambda retry is one more. At
 *    US$0.025 per 1,000 transitions (us-east-1 list price, free tier ignored).
 *
 * Not modelled: Lambda's account concurrency (1,000 by default; 200 is below it), Step Functions'
 * own rate of starting children (no published figure), S3 latency beyond the fixed times below, and
 * member accounts' own other traffic (each account × region has its own API quotas, so items of
 * different accounts do not slow one another down; only STS, called from the auditor's account, is
 * shared).
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { parseArgs } from 'node:util';
import { collectFindings, RegionClients } from '../lambda/shared/audit-region';
import { manualBudget, UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { renderRunDigest } from '../lambda/shared/notify/run-digest';
import { listOrganizationAccounts } from '../lambda/shared/org/list-accounts';
import { MemberCredentials, sessionNameFor } from '../lambda/shared/org/member-credentials';
import { DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { AuditItemResult, failedItemResult, toItemResult } from '../lambda/shared/run/item-result';
import { summarizeRun } from '../lambda/shared/run/run-summary';
import { Finding } from '../lambda/shared/types';
import { buildReport } from '../lambda/shared/audit-region';
import {
  buildScenario,
  ORGANIZATION_RATE_LIMITS,
  SIM_CREDENTIALS,
  SimulatedAccount,
  SimulatedOrganization,
} from '../sim';
import { mulberry32 } from '../sim/ids';
import { int, ratio, seconds, table } from './format';

const ms = (value: number): string => (value < 1000 ? `${Math.round(value)} ms` : seconds(value));
import { backoffMs, LATENCY_MS, MAX_ATTEMPTS, NOW } from './model';

const HOME_REGION = 'us-east-1';
const MANAGEMENT = '100000000000';
const ROLE = 'DynamoDbBackupAuditorMember';
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];
const CONCURRENCIES = [10, 40, 200];
const DEFAULT_CONCURRENCY = 40;
const TARGET_MS = 60 * 60 * 1000;
const SAMPLE_SIZES = [0, 10, 50, 200, 800, 2500];
/** AssumeRole rates the run's wall time is also modelled at (the quota is not published). */
const STS_SENSITIVITY = [50, 100, 600];
const MISSING_ROLE_SHARE = 0.03;
const SEED = 11;
/**
 * Real time by default: the SDK's and the simulator's own CPU time per call (client set-up, signing)
 * then counts once, as a Lambda's own CPU would, instead of being multiplied by 1 / timeScale.
 */
const DEFAULT_SCALE = 1;
const VALIDATION_ACCOUNTS = 20;
/** Step Functions Standard: US$0.025 per 1,000 state transitions (us-east-1). */
const PRICE_PER_TRANSITION = 0.025 / 1000;

/** Assumed times (ms), not measured: Step Functions and Lambda overheads, S3 round trips. */
const ASSUMED = {
  /** The Map starts a STANDARD child, which schedules its Task and records its result. */
  childMs: 150,
  /** Lambda's own time to invoke a warm function. */
  warmInvokeMs: 30,
  /** A new execution environment: init of a bundled Node.js function with the SDK. */
  coldStartMs: 1000,
  /** The plan's PutObject of items.json and its own invocation. */
  planIoMs: 500,
  /** The aggregation's GetObject of the manifest and result files, PutObject of the report, Publish. */
  aggregateIoMs: 3000,
};

// ---- The organization's shape --------------------------------------------------------------------

interface Item {
  accountId: string;
  region: string;
  tables: number;
  roleMissing: boolean;
}

/** Tables in an account's main region: most accounts are small, a few are large. */
function mainRegionTables(random: () => number): number {
  const r = random();
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  if (r < 0.4) return between(1, 20);
  if (r < 0.75) return between(21, 100);
  if (r < 0.93) return between(101, 500);
  if (r < 0.99) return between(501, 1500);
  return between(1501, 2500);
}

/** 1,000 accounts × 17 regions: a main region, 0–3 secondary ones with up to 50 tables, the rest empty. */
function organizationShape(accounts: number): Item[] {
  const random = mulberry32(SEED);
  const items: Item[] = [];
  for (let a = 0; a < accounts; a++) {
    const accountId = String(200000000000 + a);
    const roleMissing = random() < MISSING_ROLE_SHARE;
    const main =
      random() < 0.7 ? 'us-east-1' : (REGIONS[Math.floor(random() * REGIONS.length)] ?? 'us-east-1');
    const secondary = new Set<string>();
    const extra = Math.floor(random() * 4);
    for (let i = 0; i < extra; i++)
      secondary.add(REGIONS[Math.floor(random() * REGIONS.length)] ?? 'eu-west-1');
    for (const region of REGIONS) {
      const tables =
        region === main
          ? mainRegionTables(random)
          : secondary.has(region)
            ? 1 + Math.floor(random() * 50)
            : 0;
      items.push({ accountId, region, tables, roleMissing });
    }
  }
  return items;
}

// ---- Measured: the real code on the simulated organization ---------------------------------------

const scaledRetries = (timeScale: number) =>
  new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) => backoffMs(attempt) * timeScale);

function newOrganization(timeScale: number, emptyPages = false): SimulatedOrganization {
  return new SimulatedOrganization({
    management: new SimulatedAccount({ accountId: MANAGEMENT, latencyMs: LATENCY_MS, timeScale }),
    latencyMs: LATENCY_MS,
    timeScale,
    emptyPages,
  });
}

function memberCredentials(org: SimulatedOrganization, runId: string, timeScale: number): MemberCredentials {
  return new MemberCredentials({
    homeAccountId: MANAGEMENT,
    partition: 'aws',
    roleName: ROLE,
    sessionName: sessionNameFor(runId),
    stsClientConfig: {
      region: HOME_REGION,
      credentials: SIM_CREDENTIALS,
      retryStrategy: scaledRetries(timeScale),
    },
    stsClientPlugins: [org.pluginForRegion(HOME_REGION)],
  });
}

/** The audit's clients in a member account, with its assumed credentials and a scaled retry backoff. */
function memberClients(
  org: SimulatedOrganization,
  credentials: MemberCredentials,
  accountId: string,
  region: string,
  timeScale: number,
): RegionClients {
  const config = () => ({
    region,
    maxAttempts: MAX_ATTEMPTS,
    retryStrategy: scaledRetries(timeScale),
    credentials: credentials.for(accountId) ?? SIM_CREDENTIALS,
  });
  return {
    dynamodb: org.attach(new DynamoDBClient(config())),
    backup: org.attach(new BackupClient(config())),
    tagging: org.attach(new ResourceGroupsTaggingAPIClient(config())),
    // collectFindings never calls Security Hub.
    securityhub: org.attach(new SecurityHubClient(config())),
  };
}

function memberAccount(
  accountId: string,
  region: string,
  tables: number,
  timeScale: number,
): SimulatedAccount {
  if (tables === 0) {
    const sim = new SimulatedAccount({ accountId, latencyMs: LATENCY_MS, timeScale });
    sim.enabledRegions.push(region);
    return sim;
  }
  return buildScenario({
    regions: [region],
    tablesPerRegion: tables,
    seed: SEED + tables,
    now: NOW,
    sim: { accountId, latencyMs: LATENCY_MS, timeScale },
  });
}

interface Correctness {
  wrong: number;
  throttleReasons: number;
  errors: number;
}

function check(sim: SimulatedAccount, region: string, findings: Finding[]): Correctness {
  const byName = new Map(findings.map((f) => [f.tableName, f]));
  const names = sim.tableNames(region);
  let wrong = findings.filter((f) => !names.includes(f.tableName)).length;
  for (const name of names) if (byName.get(name)?.status !== sim.expectedStatus(region, name)) wrong++;
  return {
    wrong,
    throttleReasons: findings.filter((f) => /throttl|rate exceeded/i.test(f.reason)).length,
    errors: findings.filter((f) => f.status === 'ERROR').length,
  };
}

interface Sample {
  tables: number;
  assumeMs: number;
  auditMs: number;
  /** Calls reaching the member account, by operation (every attempt). */
  calls: Record<string, number>;
  throttled: number;
  correctness: Correctness;
}

/** One account × region audit of `tables` tables, measured in simulated ms. */
async function measureSample(tables: number, timeScale: number): Promise<Sample> {
  const org = newOrganization(timeScale);
  const accountId = '300000000001';
  const region = 'eu-west-1';
  const member = org.addAccount(memberAccount(accountId, region, tables, timeScale), { roles: [ROLE] });
  const credentials = memberCredentials(org, `sample-${tables}`, timeScale);
  const provider = credentials.for(accountId);
  const started = performance.now();
  await provider?.();
  const assumed = performance.now();
  const collected = await collectFindings(memberClients(org, credentials, accountId, region, timeScale), {
    region,
    accountId,
    rates: DEFAULT_RATE_LIMITS,
    budget: UNLIMITED_BUDGET,
    timeScale,
    now: NOW,
  });
  const done = performance.now();
  const calls: Record<string, number> = { AssumeRole: org.callCount('AssumeRole') };
  for (const [op, c] of Object.entries(member.calls[region] ?? {})) calls[op] = c.ok + c.throttled + c.failed;
  return {
    tables,
    assumeMs: (assumed - started) / timeScale,
    auditMs: (done - assumed) / timeScale,
    calls,
    throttled:
      member.callCount(undefined, region, 'throttled') + org.callCount('AssumeRole', undefined, 'throttled'),
    correctness: check(member, region, collected.findings),
  };
}

/** An account without the member role: the AssumeRole is refused; how long until the item knows. */
async function measureMissingRole(timeScale: number): Promise<{ ms: number; failure: string }> {
  const org = newOrganization(timeScale);
  org.addAccount(memberAccount('300000000002', 'eu-west-1', 10, timeScale));
  const credentials = memberCredentials(org, 'missing-role', timeScale);
  const started = performance.now();
  const failure = await collectFindings(
    memberClients(org, credentials, '300000000002', 'eu-west-1', timeScale),
    {
      region: 'eu-west-1',
      accountId: '300000000002',
      rates: DEFAULT_RATE_LIMITS,
      budget: UNLIMITED_BUDGET,
      timeScale,
    },
  ).then(
    () => 'audited (unexpected)',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  return { ms: (performance.now() - started) / timeScale, failure };
}

/** The plan's listing of a 1,000-account organization with empty pages, at the modelled rates. */
async function measurePlan(accounts: number, timeScale: number) {
  const org = newOrganization(timeScale, true);
  for (let a = 0; a < accounts - 1; a++)
    org.addAccount(new SimulatedAccount({ accountId: String(200000000000 + a) }));
  const client = org.client(OrganizationsClient, {
    region: HOME_REGION,
    retryStrategy: scaledRetries(timeScale),
  });
  const started = performance.now();
  const listed = await listOrganizationAccounts(client);
  return {
    ms: (performance.now() - started) / timeScale,
    active: listed.active.length,
    calls: org.callCount('ListAccounts'),
    throttled: org.callCount('ListAccounts', undefined, 'throttled'),
  };
}

// ---- Modelled: the Distributed Map's schedule ------------------------------------------------------

interface Durations {
  /** Audit time (simulated ms, AssumeRole excluded) for a table count, linear between the samples. */
  audit(tables: number): number;
  missingRoleMs: number;
}

function interpolate(samples: Sample[], value: (s: Sample) => number): (tables: number) => number {
  const sorted = [...samples].sort((a, b) => a.tables - b.tables);
  return (tables) => {
    const upper = sorted.findIndex((s) => s.tables >= tables);
    if (upper === 0) return value(sorted[0] as Sample);
    const hi = sorted[upper === -1 ? sorted.length - 1 : upper] as Sample;
    const lo = sorted[upper === -1 ? sorted.length - 2 : upper - 1] as Sample;
    const t = (tables - lo.tables) / (hi.tables - lo.tables || 1);
    return value(lo) + t * (value(hi) - value(lo));
  };
}

/** STS as the simulator models it: a sliding one-second window at `limit` calls; SDK standard backoff. */
class StsModel {
  attempts = 0;
  throttled = 0;
  exhausted = 0;
  private admitted: number[] = [];
  private peak = 0;
  private readonly random = mulberry32(SEED * 7);

  constructor(private readonly limit: number) {}

  /** When an AssumeRole issued at `t` answers (ms), or undefined when every attempt was throttled. */
  call(t: number): number | undefined {
    let now = t;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      this.attempts++;
      // Admission at arrival, as the simulator decides; answers come LATENCY_MS later.
      const windowStart = now - 1000;
      let inWindow = 0;
      for (let i = this.admitted.length - 1; i >= 0 && (this.admitted[i] ?? 0) > windowStart; i--) inWindow++;
      if (inWindow < this.limit) {
        this.insert(now);
        this.peak = Math.max(this.peak, inWindow + 1);
        return now + LATENCY_MS;
      }
      this.throttled++;
      now += LATENCY_MS + this.random() * Math.min(20_000, 2 ** attempt * 500);
    }
    this.exhausted++;
    return undefined;
  }

  /** The most AssumeRole calls admitted in any one second. */
  get peakPerSecond(): number {
    return this.peak;
  }

  private insert(t: number): void {
    let i = this.admitted.length;
    while (i > 0 && (this.admitted[i - 1] ?? 0) > t) i--;
    this.admitted.splice(i, 0, t);
  }
}

interface RunModel {
  mapMs: number;
  wallMs: number;
  sts: { attempts: number; throttled: number; exhausted: number; peakPerSecond: number };
  missingRoleItems: number;
  transitions: number;
}

function simulateRun(
  items: Item[],
  concurrency: number,
  durations: Durations,
  overheads: { childMs: number; warmInvokeMs: number; coldStartMs: number },
  fixed: { planMs: number; aggregateMs: number },
  stsLimit: number,
): RunModel {
  const sts = new StsModel(stsLimit);
  // Slots free at these times (ms since the Map started); a min-heap would do, sorting is enough here.
  const slots: number[] = Array.from({ length: Math.min(concurrency, items.length) }, () => 0);
  let started = 0;
  let end = 0;
  let missingRoleItems = 0;
  for (const item of items) {
    let slot = 0;
    for (let i = 1; i < slots.length; i++) if ((slots[i] ?? 0) < (slots[slot] ?? 0)) slot = i;
    const start = slots[slot] ?? 0;
    const invoke = started < concurrency ? overheads.coldStartMs : overheads.warmInvokeMs;
    started++;
    const assumeAt = start + overheads.childMs + invoke;
    const assumed = sts.call(assumeAt);
    let finish: number;
    if (assumed === undefined) finish = assumeAt + durations.missingRoleMs;
    else if (item.roleMissing) {
      missingRoleItems++;
      finish = assumed;
    } else finish = assumed + durations.audit(item.tables);
    slots[slot] = finish;
    end = Math.max(end, finish);
  }
  return {
    mapMs: end,
    wallMs: fixed.planMs + end + fixed.aggregateMs,
    sts: {
      attempts: sts.attempts,
      throttled: sts.throttled,
      exhausted: sts.exhausted,
      peakPerSecond: sts.peakPerSecond,
    },
    missingRoleItems,
    // Parent: Plan, Audits, Aggregate. Each child: one transition to start it, one for its Audit state.
    transitions: 3 + 2 * items.length,
  };
}

// ---- Validation: a subset really run concurrently ---------------------------------------------------

async function validate(
  shape: Item[],
  concurrency: number,
  durations: Durations,
  timeScale: number,
): Promise<{
  measuredMs: number;
  predictedMs: number;
  items: number;
  correctness: Correctness;
  stsThrottled: number;
  failures: number;
  throttledFailures: number;
}> {
  const accounts = [...new Set(shape.map((i) => i.accountId))].slice(0, VALIDATION_ACCOUNTS);
  const org = newOrganization(timeScale);
  const sims = new Map<string, SimulatedAccount>();
  const items: Item[] = [];
  for (const accountId of accounts) {
    const own = shape.filter((i) => i.accountId === accountId);
    const used = own.filter((i) => i.tables > 0);
    // buildScenario gives every region of an account the same size: the mean of this account's regions.
    const tables = Math.max(1, Math.round(used.reduce((n, i) => n + i.tables, 0) / Math.max(1, used.length)));
    const sim = buildScenario({
      regions: used.map((i) => i.region),
      tablesPerRegion: tables,
      seed: SEED + tables,
      now: NOW,
      crossRegionCopies: 0,
      sim: { accountId, latencyMs: LATENCY_MS, timeScale },
    });
    const roleMissing = own.some((i) => i.roleMissing);
    org.addAccount(sim, { roles: roleMissing ? [] : [ROLE] });
    sims.set(accountId, sim);
    items.push(...own.map((i) => ({ ...i, tables: i.tables > 0 ? tables : 0 })));
  }
  const results: AuditItemResult[] = [];
  let wrong: Correctness = { wrong: 0, throttleReasons: 0, errors: 0 };
  const queue = [...items];
  const started = performance.now();
  // One MemberCredentials per item: each Lambda invocation assumes the role itself.
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const { accountId, region } = item;
      const credentials = memberCredentials(org, `validation-${accountId}-${region}`, timeScale);
      try {
        const collected = await collectFindings(
          memberClients(org, credentials, accountId, region, timeScale),
          {
            region,
            accountId,
            rates: DEFAULT_RATE_LIMITS,
            budget: manualBudget(), // one per item, as one Lambda invocation has its own
            timeScale,
          },
        );
        const sim = sims.get(accountId) as SimulatedAccount;
        const c = check(sim, region, collected.findings);
        wrong = {
          wrong: wrong.wrong + c.wrong,
          throttleReasons: wrong.throttleReasons + c.throttleReasons,
          errors: wrong.errors + c.errors,
        };
        const now = new Date();
        results.push(
          toItemResult(
            buildReport({ region, accountId, startedAt: now, finishedAt: now }, collected.findings, 0),
          ),
        );
      } catch (error) {
        results.push(
          failedItemResult({ accountId, region }, error instanceof Error ? error.message : String(error)),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const measuredMs = (performance.now() - started) / timeScale;
  const predicted = simulateRun(
    items,
    concurrency,
    durations,
    { childMs: 0, warmInvokeMs: 0, coldStartMs: 0 },
    { planMs: 0, aggregateMs: 0 },
    ORGANIZATION_RATE_LIMITS.AssumeRole ?? 100,
  );
  return {
    measuredMs,
    predictedMs: predicted.mapMs,
    items: items.length,
    correctness: wrong,
    stsThrottled: org.callCount('AssumeRole', undefined, 'throttled'),
    failures: results.filter((r) => r.failure !== undefined).length,
    throttledFailures: results.filter(
      (r) => r.failure !== undefined && /throttl|rate exceeded/i.test(r.failure),
    ).length,
  };
}

/** The aggregation's own work for 17,000 results: summarize, render the digest (real CPU ms). */
function measureAggregation(items: Item[]): number {
  const results: AuditItemResult[] = items.map((item) =>
    item.roleMissing
      ? failedItemResult(item, `cannot assume arn:aws:iam::${item.accountId}:role/${ROLE}: AccessDenied`)
      : {
          accountId: item.accountId,
          region: item.region,
          summary: {
            tables: item.tables,
            compliant: Math.round(item.tables * 0.85),
            nonCompliant: item.tables - Math.round(item.tables * 0.85),
            errors: 0,
            exempt: 0,
          },
          failing: Array.from(
            { length: Math.min(20, item.tables - Math.round(item.tables * 0.85)) },
            (_, i) => ({
              tableName: `table-${i}`,
              status: 'NON_COMPLIANT' as const,
              reason: 'No backup at all: no native on-demand backup and no AWS Backup recovery point.',
            }),
          ),
        },
  );
  const started = performance.now();
  const summary = summarizeRun(
    { runId: '20261128T060000Z-bench', bucket: 'reports', regions: REGIONS.length, finishedAt: NOW },
    results,
  );
  renderRunDigest(summary);
  JSON.stringify(summary);
  return performance.now() - started;
}

// ---- Output -----------------------------------------------------------------------------------------

function describeModel(timeScale: number, accounts: number): string[] {
  return [
    `Organization  ${int(accounts)} accounts × ${REGIONS.length} regions = ${int(accounts * REGIONS.length)} items (seed ${SEED});`,
    `              tables per account: a main region (40% 1–20, 35% 21–100, 18% 101–500, 6% 501–1,500, 1% 1,501–2,500),`,
    `              0–3 secondary regions with 1–50, the other regions empty; ${Math.round(MISSING_ROLE_SHARE * 100)}% of accounts without the member role`,
    `Simulator     ${LATENCY_MS} ms a call; AWS quotas per account and region as sim/ models them; STS AssumeRole ` +
      `${ORGANIZATION_RATE_LIMITS.AssumeRole}/s and Organizations ListAccounts ${ORGANIZATION_RATE_LIMITS.ListAccounts}/s per caller account`,
    `              (conservative assumptions: AWS documents token buckets for both without a per-operation figure);`,
    `              timeScale ${timeScale}: simulated time = real time / ${timeScale}; SDK retry backoff scaled alike`,
    `Measured      the plan's listing (1,000 accounts, empty pages); one audit per sample size ${SAMPLE_SIZES.join(', ')} tables`,
    `              (AssumeRole + collectFindings, pacing DEFAULT_RATE_LIMITS); a missing-role audit; a validation run`,
    `Modelled      the Distributed Map: items in plan order, started as slots free up, at most MaxConcurrentAudits at once;`,
    `              item = ${ASSUMED.childMs} ms child start + Lambda invoke (${ASSUMED.warmInvokeMs} ms warm, ${ASSUMED.coldStartMs} ms cold for the first`,
    `              MaxConcurrentAudits) + AssumeRole (shared STS window, SDK backoff random × 2^n × 500 ms) + audit(tables)`,
    `              (measured, linear between samples); plan = listing + ${ASSUMED.planIoMs} ms; aggregate = summary + ${ASSUMED.aggregateIoMs} ms S3/SNS`,
    `Pricing       Step Functions Standard US$0.025 per 1,000 state transitions: parent 3 + 2 per child (its start, its Audit state)`,
    `Not modelled  Lambda account concurrency (1,000), Step Functions' child start rate, S3 latency beyond the fixed times`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, accounts: { type: 'string' } } });
  const timeScale = values.scale === undefined ? DEFAULT_SCALE : Number(values.scale);
  const accounts = values.accounts === undefined ? 1000 : Number(values.accounts);
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new Error(`--scale must be a positive number`);
  if (!Number.isInteger(accounts) || accounts < VALIDATION_ACCOUNTS) {
    throw new Error(`--accounts must be an integer of at least ${VALIDATION_ACCOUNTS}`);
  }
  const realStart = performance.now();
  console.log('DynamoDB backup audit, organization benchmark: one run over every account and region');
  for (const line of describeModel(timeScale, accounts)) console.log(line);

  const shape = organizationShape(accounts);
  const totalTables = shape.reduce((n, i) => n + i.tables, 0);
  const missingAccounts = new Set(shape.filter((i) => i.roleMissing).map((i) => i.accountId)).size;
  console.log('');
  console.log(
    `Shape         ${int(totalTables)} tables; ${int(shape.filter((i) => i.tables === 0).length)} of ${int(shape.length)} items ` +
      `have no table; largest region ${int(Math.max(...shape.map((i) => i.tables)))} tables; ${int(missingAccounts)} accounts without the role`,
  );

  // Measured.
  await measureSample(10, timeScale); // warm-up: module loading, JIT, SDK set-up
  const plan = await measurePlan(accounts, timeScale);
  const samples: Sample[] = [];
  for (const size of SAMPLE_SIZES) samples.push(await measureSample(size, timeScale));
  const missing = await measureMissingRole(timeScale);
  const durations: Durations = { audit: interpolate(samples, (s) => s.auditMs), missingRoleMs: missing.ms };
  const callsAt = interpolate(samples, (s) => Object.values(s.calls).reduce((a, b) => a + b, 0));

  console.log('');
  console.log(
    `Plan          ListAccounts: ${int(plan.calls)} calls (${int(plan.throttled)} throttled, retried) for ${int(plan.active)} accounts, ` +
      `${seconds(plan.ms)} simulated`,
  );
  console.log(`Missing role  the audit fails in ${ms(missing.ms)}: ${missing.failure.slice(0, 150)}…`);
  console.log('');
  console.log(
    'One account × region audit, measured (AssumeRole + collectFindings; calls = every attempt reaching AWS)',
  );
  const operations = [...new Set(samples.flatMap((s) => Object.keys(s.calls)))];
  const sampleRows = samples.map((s) => [
    int(s.tables),
    ms(s.assumeMs),
    ms(s.auditMs),
    ...operations.map((op) => int(s.calls[op] ?? 0)),
    int(s.throttled),
    `${int(s.correctness.wrong)} / ${int(s.correctness.throttleReasons)}`,
  ]);
  for (const line of table(
    ['tables', 'AssumeRole', 'audit', ...operations, 'throttled', 'wrong / throttle reasons'],
    sampleRows,
  )) {
    console.log(`  ${line}`);
  }

  const perItemCalls = shape.reduce((n, i) => n + (i.roleMissing ? 1 : callsAt(i.tables)), 0) / shape.length;
  const aggregationCpuMs = measureAggregation(shape);
  const fixed = { planMs: plan.ms + ASSUMED.planIoMs, aggregateMs: aggregationCpuMs + ASSUMED.aggregateIoMs };
  const runs = CONCURRENCIES.map((c) => ({
    concurrency: c,
    model: simulateRun(shape, c, durations, ASSUMED, fixed, ORGANIZATION_RATE_LIMITS.AssumeRole ?? 100),
  }));

  console.log('');
  console.log(
    `Run of ${int(accounts)} accounts × ${REGIONS.length} regions (${int(shape.length)} audits), modelled from the measurements above`,
  );
  const runRows = runs.map(({ concurrency, model }) => [
    int(concurrency),
    seconds(model.wallMs),
    `${(model.wallMs / 60_000).toFixed(1)} min`,
    seconds(model.mapMs),
    int(model.sts.attempts),
    int(model.sts.throttled),
    int(model.sts.exhausted),
    int(model.sts.peakPerSecond),
    int(model.missingRoleItems),
    int(model.transitions),
    `$${(model.transitions * PRICE_PER_TRANSITION).toFixed(2)}`,
  ]);
  for (const line of table(
    [
      'MaxConcurrentAudits',
      'run wall time',
      '',
      'Map',
      'AssumeRole calls',
      'throttled',
      'exhausted',
      'peak/s',
      'ERROR items (no role)',
      'transitions',
      'cost/run',
    ],
    runRows,
  )) {
    console.log(`  ${line}`);
  }
  const stsLimit = ORGANIZATION_RATE_LIMITS.AssumeRole ?? 100;
  const sensitivity = STS_SENSITIVITY.map((rate) =>
    [`${int(rate)}/s${rate === stsLimit ? ' (modelled above)' : ''}`].concat(
      CONCURRENCIES.map((c) => {
        const model = simulateRun(shape, c, durations, ASSUMED, fixed, rate);
        return `${(model.wallMs / 60_000).toFixed(1)} min (${int(model.sts.throttled)} thr)`;
      }),
    ),
  );
  console.log('  run wall time if STS allowed another AssumeRole rate (the one quota every item shares):');
  for (const line of table(['STS AssumeRole', ...CONCURRENCIES.map((c) => `at ${c}`)], sensitivity)) {
    console.log(`    ${line}`);
  }
  console.log(
    `  calls per account × region: ${perItemCalls.toFixed(1)} on average (AssumeRole 1 + the audit's own; ` +
      `${callsAt(0).toFixed(0)} for an empty region, ${callsAt(2500).toFixed(0)} at 2,500 tables); plan ${int(plan.calls)} ListAccounts`,
  );
  console.log(
    `  plan ${seconds(fixed.planMs)}, aggregate ${seconds(fixed.aggregateMs)} (summary and digest of ${int(shape.length)} results: ` +
      `${aggregationCpuMs.toFixed(0)} ms CPU)`,
  );

  const validation = await validate(shape, DEFAULT_CONCURRENCY, durations, timeScale);
  console.log('');
  console.log(
    `Validation    ${int(validation.items)} items of ${VALIDATION_ACCOUNTS} accounts really run ${DEFAULT_CONCURRENCY} at a time: ` +
      `${seconds(validation.measuredMs)} measured, ${seconds(validation.predictedMs)} predicted by the model without the fixed overheads ` +
      `(${ratio(validation.measuredMs / validation.predictedMs)}×); ${int(validation.failures)} items failed (no role), ` +
      `${int(validation.correctness.wrong)} wrong findings, ${int(validation.correctness.throttleReasons)} throttle reasons, ` +
      `${int(validation.stsThrottled)} AssumeRole calls throttled and retried`,
  );

  const atDefault = runs.find((r) => r.concurrency === DEFAULT_CONCURRENCY)?.model;
  const throttleReasons =
    samples.reduce((n, s) => n + s.correctness.throttleReasons, 0) +
    validation.correctness.throttleReasons +
    validation.throttledFailures;
  const wrong = samples.reduce((n, s) => n + s.correctness.wrong, 0) + validation.correctness.wrong;
  const exhausted = runs.reduce((n, r) => n + r.model.sts.exhausted, 0);
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('');
  console.log('Targets');
  console.log(
    `  ${verdict((atDefault?.wallMs ?? Infinity) <= TARGET_MS)}  the whole organization inside one hour at MaxConcurrentAudits ` +
      `${DEFAULT_CONCURRENCY}: ${seconds(atDefault?.wallMs ?? NaN)} (${((atDefault?.wallMs ?? NaN) / 60_000).toFixed(1)} min)`,
  );
  console.log(
    `  ${verdict(throttleReasons === 0 && exhausted === 0)}  no throttling error in any finding: ${int(throttleReasons)} reasons mention ` +
      `throttling (findings and failed items of the samples and the validation run), ${int(exhausted)} AssumeRole calls throttled on every attempt (model, all concurrencies)`,
  );
  console.log(
    `  ${verdict(wrong === 0)}  no wrong finding (samples and validation run): ${int(wrong)} wrong`,
  );
  console.log('');
  console.log(`Benchmark real time: ${seconds(performance.now() - realStart)}`);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
