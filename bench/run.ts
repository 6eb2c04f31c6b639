/**
 * Benchmark (`npm run bench`; `npm run bench -- --quick` runs T = 100 and 1,000 only; `--mix lean|dense`
 * one mix; `--scale` and `--per-table-scale` set the time scales): this project's audit of one region
 * against the per-table procedure (ListBackups and ListRecoveryPointsByResource for every table, same
 * concurrency, same pacing), on the same simulated account, for T = 100, 1,000 and 10,000 tables.
 * Prints calls by operation, simulated wall time, the ratios and PASS/FAIL per target. Always exits 0
 * when it ran: it is a benchmark, not a test.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { collectFindings } from '../lambda/shared/audit-region';
import { DEFAULT_POLICY } from '../lambda/shared/policy/audit-policy';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { createPacer, DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { Finding } from '../lambda/shared/types';
import { DEFAULT_RATE_LIMITS as SIM_RATE_LIMITS, SimulatedAccount } from '../sim';
import { int, ratio, seconds, table } from './format';
import {
  AccountShape,
  buildAccount,
  CallsByOperation,
  describeModel,
  LATENCY_MS,
  measureShape,
  MIXES,
  MixName,
  OPERATIONS,
  REGION,
  regionClients,
  snapshotCalls,
  totalCalls,
} from './model';
import { perTableAudit } from './naive';

/*
 * Time scales. Simulated wall time = real elapsed / timeScale; the simulator's latencies and rate
 * windows, the pacers' intervals and the SDK's retry backoff are all multiplied by the same factor, so
 * a scale changes how long the run takes, not what it measures, as long as the real work of a call
 * (the SDK's and the simulator's CPU, Node's 1 ms timer granularity) stays small next to the scaled
 * intervals. The "Harness" lines and the "model floor" rows of the output show how close each run is.
 *
 * Ours at 0.25 (a ListBackups page every 222 ms simulated = 56 ms real): each account-wide ListBackups
 * page costs up to ~40 ms of real CPU at 10,000 tables (the simulator filters and sorts the region's
 * 10,000–20,000 backups); at a smaller scale that CPU would exceed the pacing interval and be counted
 * against ours as simulated time. Ours then takes at most ~12 s real per run.
 *
 * Per-table at 0.05 (a ListBackups call every 222 ms simulated = 11 ms real, a 50 ms real rate window):
 * its T ListBackups calls at 4.5/s take T/4.5 s simulated, 2,222 s at 10,000 tables = 111 s real per
 * mix; the whole benchmark takes about 5 minutes. Measured at T = 1,000: 0.25 gives 222.5 s against a
 * floor of 222.2 s, 0.1 gives 225 s, 0.05 gives 224–232 s (at 11 ms real, a few ms of SDK jitter now
 * and then lets a sixth call into the 5/s window, and the throttled call's retry, outside the pacer,
 * costs a little time), 0.03 about 241 s with 40% of its ListBackups calls throttled (6 ms intervals).
 * Running the two mixes' per-table runs side by side would save 2 minutes, but they share one event
 * loop: at 10,000 tables each came out 10% above its floor instead of 2%, so they run one at a time.
 * The per-table time is still a little above what an exact clock would give (the floor is printed
 * beside it), which flatters ours by as much; ours' own time is 5–10% above its floor for the same
 * reasons, and the floors' ratio is printed beside the measured one.
 */
const DEFAULT_SCALE = 0.25;
const DEFAULT_PER_TABLE_SCALE = 0.05;
const THROTTLE_FIRST = 3;
const SPEED_TARGET = 20;
const SPEED_TARGET_TABLES = 10_000;

interface Correctness {
  /** Findings whose status differs from sim.expectedStatus (tables without a finding included). */
  wrong: number;
  /** Findings whose reason mentions throttling. */
  throttleReasons: number;
  errors: number;
}

interface Run {
  calls: CallsByOperation;
  simulatedMs: number;
  realMs: number;
  /** Progress marks (ours only), simulated ms after the start. */
  phases: { phase: string; simulatedMs: number }[];
  correctness: Correctness;
}

interface Result {
  tables: number;
  shape: AccountShape;
  ours: Run;
  perTable: Run;
  throttled: Run;
  /** Ours with identity checks on (VerifyTableIdentity), lean mix at T ≥ 1,000 only. */
  identity?: Run;
  buildMs: number;
}

/** The simulator's ground truth for every table of the region, computed once per account. */
type Truth = Readonly<Record<string, string>>;

function check(truth: Truth, findings: Finding[]): Correctness {
  const byName = new Map(findings.map((f) => [f.tableName, f]));
  let wrong = findings.filter((f) => !(f.tableName in truth)).length;
  for (const [name, expected] of Object.entries(truth)) {
    if (byName.get(name)?.status !== expected) wrong++;
  }
  return {
    wrong,
    throttleReasons: findings.filter((f) => /throttl/i.test(f.reason)).length,
    errors: findings.filter((f) => f.status === 'ERROR').length,
  };
}

type Procedure = (mark: (phase: string) => void) => Promise<Finding[]>;

async function timed(
  sim: SimulatedAccount,
  truth: Truth,
  timeScale: number,
  procedure: Procedure,
): Promise<Run> {
  sim.timeScale = timeScale;
  sim.resetCounters();
  const marks: [string, number][] = [];
  const started = performance.now();
  const findings = await procedure((phase) => marks.push([phase, performance.now() - started]));
  const realMs = performance.now() - started;
  const calls = snapshotCalls(sim);
  sim.resetCounters();
  return {
    calls,
    realMs,
    simulatedMs: realMs / timeScale,
    phases: marks.map(([phase, ms]) => ({ phase, simulatedMs: ms / timeScale })),
    correctness: check(truth, findings),
  };
}

function ours(sim: SimulatedAccount, timeScale: number, verifyTableIdentity = false): Procedure {
  return (mark) =>
    collectFindings(regionClients(sim, timeScale), {
      region: REGION,
      accountId: sim.accountId,
      rates: DEFAULT_RATE_LIMITS,
      budget: UNLIMITED_BUDGET,
      policy: { ...DEFAULT_POLICY, verifyTableIdentity },
      timeScale,
      onProgress: (event) => mark(event.phase),
    }).then((r) => r.findings);
}

function perTable(sim: SimulatedAccount, timeScale: number): Procedure {
  return () =>
    perTableAudit(regionClients(sim, timeScale), {
      region: REGION,
      accountId: sim.accountId,
      rates: DEFAULT_RATE_LIMITS,
      timeScale,
    });
}

/**
 * One T, every mix: builds the account, runs ours twice (plain, then with the first calls of every
 * operation throttled) and the per-table procedure, one run at a time.
 */
async function benchmark(
  tables: number,
  scale: number,
  perTableScale: number,
  mixes: MixName[],
): Promise<Result[]> {
  const results: Result[] = [];
  for (const mix of mixes) {
    const building = performance.now();
    const sim = buildAccount(tables, scale, {}, mix);
    const shape = await measureShape(sim, scale);
    const truth = sim.expectedStatuses(REGION);
    const buildMs = performance.now() - building;

    const oursRun = await timed(sim, truth, scale, ours(sim, scale));
    sim.throttleFirstCalls = THROTTLE_FIRST;
    const throttledRun = await timed(sim, truth, scale, ours(sim, scale));
    sim.throttleFirstCalls = 0;
    const perTableRun = await timed(sim, truth, perTableScale, perTable(sim, perTableScale));
    // The cost of identity checks (one paced DescribeTable per table that would pass), lean mix.
    const identity =
      mix === 'lean' && tables >= 1_000 ? await timed(sim, truth, scale, ours(sim, scale, true)) : undefined;
    results.push({
      tables,
      shape,
      ours: oursRun,
      perTable: perTableRun,
      throttled: throttledRun,
      ...(identity ? { identity } : {}),
      buildMs,
    });
  }
  return results;
}

interface Harness {
  /** One sequential call, in simulated ms (the model says LATENCY_MS). */
  perCallMs: number;
  /** Calls per simulated second of a pacer set to ListBackups' rate. */
  pacedRate: number;
}

/**
 * Runs both procedures once untimed (module loading, JIT, SDK set-up), then measures at `timeScale`
 * what one sequential call costs and how fast a pacer set to ListBackups' rate really goes, in
 * simulated time.
 */
async function calibrate(timeScale: number): Promise<Harness> {
  const unlimited = { ListBackups: Infinity, ListRecoveryPointsByResource: Infinity, 'backup:*': Infinity };
  const sim = buildAccount(100, timeScale, { rateLimits: unlimited });
  await ours(sim, timeScale)(() => undefined);
  await perTable(sim, timeScale)(() => undefined);
  sim.timeScale = timeScale;
  const { dynamodb } = regionClients(sim, timeScale);
  const calls = 20;
  let started = performance.now();
  for (let i = 0; i < calls; i++) await dynamodb.send(new ListTablesCommand({ Limit: 100 }));
  const perCallMs = (performance.now() - started) / timeScale / calls;

  const pacer = createPacer(DEFAULT_RATE_LIMITS.listBackupsPerSecond, 8, timeScale);
  const paced = 30;
  started = performance.now();
  await Promise.all(Array.from({ length: paced }, () => pacer.run(() => Promise.resolve())));
  const pacedRate = (paced - 1) / ((performance.now() - started) / timeScale / 1000);
  return { perCallMs, pacedRate };
}

interface Floors {
  /** At the account's limits (ListBackups 5/s). */
  atLimit: number;
  /** At the pacing both procedures use (ListBackups 4.5/s). */
  atPacing: number;
}

/**
 * Simulated ms, computed from the model. Both are held by ListBackups: ours by its account-wide pages
 * (ListTables runs beside them; the few AWS Backup calls that follow are not counted), the per-table
 * procedure by its ListTables pages, one after another, then one ListBackups call per table.
 */
function floors(r: Result): { ours: Floors; perTable: Floors } {
  const limit = SIM_RATE_LIMITS.ListBackups ?? 5;
  const pacing = DEFAULT_RATE_LIMITS.listBackupsPerSecond;
  const oursPages = Math.floor(r.shape.nativeBackups / 100) + 1;
  const perTableCalls = r.shape.perTableListBackups;
  const listTables = r.shape.listTablesPages * LATENCY_MS;
  const at = (rate: number, calls: number) => ((calls - 1) / rate) * 1000 + LATENCY_MS;
  return {
    ours: { atLimit: at(limit, oursPages), atPacing: at(pacing, oursPages) },
    perTable: {
      atLimit: listTables + at(limit, perTableCalls),
      atPacing: listTables + at(pacing, perTableCalls),
    },
  };
}

function callCell(calls: CallsByOperation, op?: string): string {
  const c = op === undefined ? undefined : calls[op];
  const made = op === undefined ? totalCalls(calls) : c ? c.ok + c.throttled + c.failed : 0;
  const throttled = op === undefined ? totalCalls(calls, 'throttled') : (c?.throttled ?? 0);
  const failed = op === undefined ? totalCalls(calls, 'failed') : (c?.failed ?? 0);
  const notes = [throttled > 0 ? `${int(throttled)} thr` : '', failed > 0 ? `${int(failed)} failed` : '']
    .filter((s) => s !== '')
    .join(', ');
  return made === 0 ? '-' : `${int(made)}${notes ? ` (${notes})` : ''}`;
}

/** ListBackups calls per simulated second while ListBackups was being called. */
function listBackupsRate(run: Run, until?: string): string {
  const c = run.calls.ListBackups;
  const calls = c ? c.ok + c.throttled + c.failed : 0;
  const ms = run.phases.find((p) => p.phase === until)?.simulatedMs ?? run.simulatedMs;
  return calls > 1 ? `${((calls - 1) / (ms / 1000)).toFixed(2)}/s` : '-';
}

function printResult(r: Result, scale: number, perTableScale: number): void {
  const { shape, ours, perTable, throttled } = r;
  const floor = floors(r);
  const ops = [
    ...OPERATIONS,
    ...new Set(
      [ours, perTable, throttled].flatMap((run) =>
        Object.keys(run.calls).filter((op) => !(OPERATIONS as readonly string[]).includes(op)),
      ),
    ),
  ];
  console.log('');
  console.log(
    `T = ${int(r.tables)}: B = ${int(shape.nativeBackups)} native backups listed, ` +
      `K = ${int(shape.withoutUsableNative)} tables without an AVAILABLE native backup, ` +
      `${int(shape.vaultPages)} vault page(s) (account built and counted in ${seconds(r.buildMs)} real)`,
  );
  console.log(
    `  SDK and simulator CPU, real ms: ${shape.listBackupsRealMsPerPage.toFixed(1)} per account-wide ListBackups page ` +
      `(${(shape.listBackupsRealMsPerPage / scale).toFixed(0)} ms simulated at ${scale}), ` +
      `${shape.perTableListBackupsRealMs.toFixed(2)} per ListBackups(TableName) call ` +
      `(${(shape.perTableListBackupsRealMs / perTableScale).toFixed(0)} ms simulated at ${perTableScale})`,
  );
  const rows: string[][] = ops.map((op) => [
    op,
    callCell(ours.calls, op),
    callCell(perTable.calls, op),
    callCell(throttled.calls, op),
  ]);
  rows.push(
    ['-'],
    [
      'total calls (every attempt)',
      callCell(ours.calls),
      callCell(perTable.calls),
      callCell(throttled.calls),
    ],
    ['calls the formula predicts', int(shape.oursCalls), int(shape.perTableCalls), int(shape.oursCalls)],
    [
      'simulated wall time',
      seconds(ours.simulatedMs),
      seconds(perTable.simulatedMs),
      seconds(throttled.simulatedMs),
    ],
    [
      `model floor, ListBackups at ${DEFAULT_RATE_LIMITS.listBackupsPerSecond}/s †`,
      `≈ ${seconds(floor.ours.atPacing)}`,
      `≈ ${seconds(floor.perTable.atPacing)}`,
      '',
    ],
    [
      `model floor, ListBackups at the limit ${SIM_RATE_LIMITS.ListBackups ?? 5}/s †`,
      `≈ ${seconds(floor.ours.atLimit)}`,
      `≈ ${seconds(floor.perTable.atLimit)}`,
      '',
    ],
    [
      'ListBackups calls per simulated second',
      listBackupsRate(ours, 'nativeBackupsListed'),
      listBackupsRate(perTable),
      listBackupsRate(throttled, 'nativeBackupsListed'),
    ],
    [
      'real time (timeScale)',
      `${seconds(ours.realMs)} (${scale})`,
      `${seconds(perTable.realMs)} (${perTableScale})`,
      `${seconds(throttled.realMs)} (${scale})`,
    ],
    ['per-table / ours (simulated time)', '', `${ratio(perTable.simulatedMs / ours.simulatedMs, 1)}×`, ''],
    [
      'wrong findings (vs expectedStatus)',
      int(ours.correctness.wrong),
      int(perTable.correctness.wrong),
      int(throttled.correctness.wrong),
    ],
    [
      'ERROR findings',
      int(ours.correctness.errors),
      int(perTable.correctness.errors),
      int(throttled.correctness.errors),
    ],
    [
      'reasons mentioning Throttl',
      int(ours.correctness.throttleReasons),
      int(perTable.correctness.throttleReasons),
      int(throttled.correctness.throttleReasons),
    ],
  );
  const header = ['', 'ours', 'per-table', `ours, first ${THROTTLE_FIRST} calls/op throttled`];
  for (const line of table(header, rows)) console.log(`  ${line}`);
  console.log(`  ours phases (simulated time):          ${phaseLine(ours)}`);
  console.log(`  ours phases, first ${THROTTLE_FIRST} calls throttled: ${phaseLine(throttled)}`);
}

const PHASE_LABELS: Record<string, string> = {
  tablesListed: 'tables listed',
  nativeBackupsListed: 'native backups listed',
  evaluated: 'AWS Backup read, all evaluated',
};

function phaseLine(run: Run): string {
  return run.phases.map((p) => `${PHASE_LABELS[p.phase] ?? p.phase} ${seconds(p.simulatedMs)}`).join(', ');
}

function printSummary(results: Result[]): void {
  console.log('');
  console.log('Summary (calls = every attempt reaching the account; time = simulated wall time)');
  const rows = results.map((r) => {
    const floor = floors(r);
    return [
      int(r.tables),
      int(r.shape.nativeBackups),
      int(r.shape.withoutUsableNative),
      `${int(totalCalls(r.ours.calls))} / ${int(r.shape.oursCalls)}`,
      `${int(totalCalls(r.perTable.calls))} / ${int(r.shape.perTableCalls)}`,
      seconds(r.ours.simulatedMs),
      seconds(r.perTable.simulatedMs),
      `${ratio(r.perTable.simulatedMs / r.ours.simulatedMs, 1)}×`,
      `${ratio(floor.perTable.atPacing / floor.ours.atPacing, 1)}×`,
      `${int(r.ours.correctness.wrong)} / ${int(r.throttled.correctness.wrong)} / ${int(r.perTable.correctness.wrong)}`,
      int(totalCalls(r.throttled.calls, 'throttled')),
    ];
  });
  const header = [
    'T',
    'B',
    'K',
    'ours calls / formula',
    'per-table calls / formula',
    'ours time',
    'per-table time',
    'per-table/ours',
    'floors ratio',
    'wrong (ours/thr/per-table)',
    'thr retried',
  ];
  for (const line of table(header, rows)) console.log(`  ${line}`);
}

function printTargets(results: Result[]): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('');
  console.log('Targets');
  const exact = results.map((r) => totalCalls(r.ours.calls) === r.shape.oursCalls);
  console.log(
    `  ${verdict(exact.every(Boolean))}  ours makes exactly the calls its formula predicts, at every T: ` +
      results
        .map((r) => `T=${int(r.tables)} ${int(totalCalls(r.ours.calls))}/${int(r.shape.oursCalls)}`)
        .join(', '),
  );
  const big = results.find((r) => r.tables === SPEED_TARGET_TABLES);
  if (big) {
    const speedup = big.perTable.simulatedMs / big.ours.simulatedMs;
    const floor = floors(big);
    console.log(
      `  ${verdict(speedup >= SPEED_TARGET)}  ours ≥ ${SPEED_TARGET}× faster than the per-table procedure at ` +
        `${int(SPEED_TARGET_TABLES)} tables: ${ratio(speedup, 1)}× (per-table ${seconds(big.perTable.simulatedMs)}, ` +
        `ours ${seconds(big.ours.simulatedMs)}); the model's floors give ${ratio(floor.perTable.atPacing / floor.ours.atPacing, 1)}×`,
    );
    const native = big.ours.phases.find((p) => p.phase === 'nativeBackupsListed');
    if (native) {
      console.log(
        `        ours at T=${int(big.tables)}: listing native backups (ListBackups, paced at ` +
          `${DEFAULT_RATE_LIMITS.listBackupsPerSecond}/s) took ${seconds(native.simulatedMs)} of ` +
          `${seconds(big.ours.simulatedMs)} (${Math.round((100 * native.simulatedMs) / big.ours.simulatedMs)}%)`,
      );
    }
  } else {
    console.log(
      `  SKIP  ours ≥ ${SPEED_TARGET}× faster than the per-table procedure at ${int(SPEED_TARGET_TABLES)} tables: ` +
        'not run (--quick)',
    );
  }
  const wrong = results.reduce(
    (s, r) => s + r.ours.correctness.wrong + r.throttled.correctness.wrong + r.perTable.correctness.wrong,
    0,
  );
  console.log(
    `  ${verdict(wrong === 0)}  no wrong finding (ours plain and throttled, per-table; every T): ${int(wrong)} wrong`,
  );
  const reasons = results.reduce(
    (s, r) => s + r.ours.correctness.throttleReasons + r.throttled.correctness.throttleReasons,
    0,
  );
  const throttledCalls = results.map((r) => totalCalls(r.throttled.calls, 'throttled'));
  console.log(
    `  ${verdict(reasons === 0 && throttledCalls.every((n) => n > 0))}  no ThrottlingException reaching a finding ` +
      `under throttle-first-${THROTTLE_FIRST}: ${int(reasons)} reasons mention Throttl; throttled calls retried: ` +
      results.map((r, i) => `T=${int(r.tables)} ${int(throttledCalls[i] ?? 0)}`).join(', '),
  );
}

/** 1, 5 and 15-minute load averages. */
/** What identity checks (VerifyTableIdentity) cost against the default policy, same account. */
function printIdentityCost(results: Result[]): void {
  const rows = results.filter((r) => r.identity);
  if (rows.length === 0) return;
  console.log('');
  console.log(
    `==== identity checks (VerifyTableIdentity=true), mix "lean": one DescribeTable per table that would pass, ` +
      `paced at ${DEFAULT_RATE_LIMITS.describeTablePerSecond}/s, ${DEFAULT_RATE_LIMITS.perTableConcurrency} in flight`,
  );
  const lines = table(
    [
      'T',
      'default calls',
      'default time',
      'identity calls',
      'of which DescribeTable',
      'identity time',
      'wrong',
    ],
    rows.map((r) => {
      const run = r.identity as Run;
      return [
        int(r.tables),
        int(totalCalls(r.ours.calls)),
        seconds(r.ours.simulatedMs),
        int(totalCalls(run.calls)),
        int(run.calls.DescribeTable?.ok ?? 0),
        seconds(run.simulatedMs),
        int(run.correctness.wrong),
      ];
    }),
  );
  for (const line of lines) console.log(`  ${line}`);
}

function loadLine(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

function parseScale(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return n;
}

const FOOTNOTES = [
  '† Computed from the model, not measured: ours, floor(B/100)+1 account-wide ListBackups pages (ListTables',
  '  runs beside them; the AWS Backup calls that follow are not counted); per-table, its ListTables pages one',
  '  after another, then one ListBackups call per table (more for a table with 100 backups or more). Neither',
  '  counts retries or the harness overhead measured above. Both procedures are held by ListBackups, so',
  '  per-table/ours ≈ (T/100) / (B/100) = 100·T/B: the number of native backups per table sets the ratio.',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      'per-table-scale': { type: 'string' },
      mix: { type: 'string', default: 'both' },
    },
  });
  if (values.mix !== 'both' && !(values.mix in MIXES)) {
    throw new Error(`--mix must be one of ${Object.keys(MIXES).join(', ')} or both, got '${values.mix}'`);
  }
  const mixes = (values.mix === 'both' ? Object.keys(MIXES) : [values.mix]) as MixName[];
  const scale = parseScale(values.scale, 'scale', DEFAULT_SCALE);
  const perTableScale = parseScale(values['per-table-scale'], 'per-table-scale', DEFAULT_PER_TABLE_SCALE);
  const sizes = values.quick ? [100, 1_000] : [100, 1_000, 10_000];

  console.log(
    'DynamoDB backup audit benchmark: this project (collectFindings) vs the per-table procedure, one region',
  );
  for (const line of describeModel(scale, perTableScale)) console.log(line);
  console.log(
    `Machine   ${availableParallelism()} CPUs, load average ${loadLine()} at the start ` +
      '(other processes slow the harness and show as simulated time)',
  );
  const started = performance.now();
  for (const s of [...new Set([scale, perTableScale])]) {
    const h = await calibrate(s);
    console.log(
      `Harness   at timeScale ${s}: one sequential call measures ${h.perCallMs.toFixed(1)} ms simulated ` +
        `(model: ${LATENCY_MS} ms); a ${DEFAULT_RATE_LIMITS.listBackupsPerSecond}/s pacer runs at ` +
        `${h.pacedRate.toFixed(2)}/s simulated`,
    );
  }
  console.log('          (the difference is real timer and SDK overhead divided by timeScale)');

  const resultsByMix = new Map<MixName, Result[]>(mixes.map((mix) => [mix, []]));
  for (const tables of sizes) {
    process.stderr.write(`running T = ${int(tables)} (${mixes.join(', ')})…\n`);
    const results = await benchmark(tables, scale, perTableScale, mixes);
    mixes.forEach((mix, i) => {
      const result = results[i];
      if (result) resultsByMix.get(mix)?.push(result);
    });
  }
  for (const [mix, results] of resultsByMix) {
    console.log('');
    console.log(`==== mix "${mix}": ${MIXES[mix].label}`);
    for (const result of results) printResult(result, scale, perTableScale);
  }
  console.log('');
  for (const line of FOOTNOTES) console.log(line);
  for (const [mix, results] of resultsByMix) {
    console.log('');
    console.log(`==== mix "${mix}"`);
    printSummary(results);
    printTargets(results);
  }
  printIdentityCost([...resultsByMix.values()].flat());
  console.log('');
  console.log(
    `Benchmark real time: ${seconds(performance.now() - started)}; load average ${loadLine()} at the end`,
  );
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
