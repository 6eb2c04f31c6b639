/**
 * Benchmark (`npm run bench`, or `npm run bench -- --quick --scale 0.25 --naive-scale 0.1`): this project's
 * audit of one region against the naive per-table procedure, on the same simulated account, for
 * T = 100, 1,000 and 10,000 tables. Prints calls by operation, simulated wall time, the ratios and
 * PASS/FAIL per target. Always exits 0 when it ran: it is a benchmark, not a test.
 */
import { parseArgs } from 'node:util';
import { collectFindings } from '../lambda/shared/audit-region';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { Finding } from '../lambda/shared/types';
import { DEFAULT_RATE_LIMITS as SIM_RATE_LIMITS, SimulatedAccount } from '../sim';
import { int, ratio, seconds, table } from './format';
import {
  AccountShape,
  buildAccount,
  CallsByOperation,
  describeModel,
  measureShape,
  MIXES,
  MixName,
  LATENCY_MS,
  OPERATIONS,
  REGION,
  regionClients,
  snapshotCalls,
  totalCalls,
} from './model';
import { naiveAudit } from './naive';

/**
 * Ours: 20 ms simulated = 5 ms real. Not smaller: the simulator spends ~20 ms of real CPU on each
 * ListBackups page at 10,000 tables (it sorts the region's backups), which would then exceed ours'
 * pacing interval and be counted as simulated time.
 */
const DEFAULT_SCALE = 0.25;
/** Naive: 20 ms simulated = 2 ms real, so its 20,000 sequential calls at 10,000 tables take about a minute. */
const DEFAULT_NAIVE_SCALE = 0.1;
const THROTTLE_FIRST = 3;
const CALLS_TARGET = 1.1;
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
  naive: Run;
  throttled: Run;
  buildMs: number;
}

function check(sim: SimulatedAccount, findings: Finding[]): Correctness {
  const names = new Set(sim.tableNames(REGION));
  const byName = new Map(findings.map((f) => [f.tableName, f]));
  let wrong = findings.filter((f) => !names.has(f.tableName)).length;
  for (const name of names) {
    if (byName.get(name)?.status !== sim.expectedStatus(REGION, name)) wrong++;
  }
  return {
    wrong,
    throttleReasons: findings.filter((f) => /throttl/i.test(f.reason)).length,
    errors: findings.filter((f) => f.status === 'ERROR').length,
  };
}

type Procedure = (mark: (phase: string) => void) => Promise<Finding[]>;

async function timed(sim: SimulatedAccount, timeScale: number, procedure: Procedure): Promise<Run> {
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
    correctness: check(sim, findings),
  };
}

function ours(sim: SimulatedAccount, timeScale: number): Procedure {
  return (mark) =>
    collectFindings(regionClients(sim, timeScale), {
      region: REGION,
      accountId: sim.accountId,
      rates: DEFAULT_RATE_LIMITS,
      budget: UNLIMITED_BUDGET,
      timeScale,
      onProgress: (event) => mark(event.phase),
    }).then((r) => r.findings);
}

function naive(sim: SimulatedAccount, timeScale: number): Procedure {
  return () => naiveAudit(regionClients(sim, timeScale), REGION);
}

/** The naive procedure reads no native backup, so one run per T serves every mix. */
const naiveRuns = new Map<number, Run>();

async function benchmark(tables: number, scale: number, naiveScale: number, mix: MixName): Promise<Result> {
  const building = performance.now();
  const sim = buildAccount(tables, scale, {}, mix);
  const shape = await measureShape(sim, scale);
  const buildMs = performance.now() - building;

  const oursRun = await timed(sim, scale, ours(sim, scale));
  const naiveRun = naiveRuns.get(tables) ?? (await timed(sim, naiveScale, naive(sim, naiveScale)));
  naiveRuns.set(tables, naiveRun);
  sim.throttleFirstCalls = THROTTLE_FIRST;
  const throttledRun = await timed(sim, scale, ours(sim, scale));
  sim.throttleFirstCalls = 0;
  return { tables, shape, ours: oursRun, naive: naiveRun, throttled: throttledRun, buildMs };
}

/**
 * Runs both procedures once untimed (module loading, JIT, SDK set-up), then measures what one
 * sequential call really costs at `timeScale`, in simulated ms, on an account without rate limits.
 */
async function calibrate(timeScale: number): Promise<number> {
  const unlimited = { ListRecoveryPointsByResource: Infinity, 'backup:*': Infinity };
  const sim = buildAccount(100, timeScale, { rateLimits: unlimited });
  await ours(sim, timeScale)(() => undefined);
  await naive(sim, timeScale)(() => undefined);
  sim.resetCounters();
  const started = performance.now();
  await naive(sim, timeScale)(() => undefined);
  return (performance.now() - started) / timeScale / sim.callCount();
}

/** Simulated ms, computed from the model: its floor for each procedure, and ours' own ListBackups pacing. */
function floors(r: Result): { ours: number; naive: number; oursPacing: number } {
  const listBackupsPages = Math.ceil((r.shape.nativeBackups + 1) / 100);
  const listTablesPages = Math.floor(r.tables / 100) + 1;
  const listBackupsLimit = SIM_RATE_LIMITS.ListBackups ?? 5;
  const resourceLimit = SIM_RATE_LIMITS.ListRecoveryPointsByResource ?? 20;
  return {
    // ListBackups pages at the model's limit; ListTables runs beside it; a few AWS Backup calls follow.
    ours: ((listBackupsPages - 1) / listBackupsLimit) * 1000 + LATENCY_MS,
    oursPacing: ((listBackupsPages - 1) / DEFAULT_RATE_LIMITS.listBackupsPerSecond) * 1000 + LATENCY_MS,
    // Two sequential calls per table, and ListRecoveryPointsByResource at its limit at most.
    naive:
      listTablesPages * LATENCY_MS +
      Math.max(2 * r.tables * LATENCY_MS, ((r.tables - resourceLimit) / resourceLimit) * 1000),
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

function printResult(r: Result, scale: number, naiveScale: number): void {
  const { shape, ours, naive, throttled } = r;
  const oursTotal = totalCalls(ours.calls);
  const floor = floors(r);
  const ops = [
    ...OPERATIONS,
    ...new Set(
      [ours, naive, throttled].flatMap((run) =>
        Object.keys(run.calls).filter((op) => !(OPERATIONS as readonly string[]).includes(op)),
      ),
    ),
  ];
  console.log('');
  console.log(
    `T = ${int(r.tables)}: B = ${int(shape.nativeBackups)} native backups listed, ` +
      `K = ${int(shape.withoutUsableNative)} tables without an AVAILABLE native backup ` +
      `(account built and counted in ${seconds(r.buildMs)} real; the simulator's own CPU per ListBackups ` +
      `page: ${shape.listBackupsRealMsPerPage.toFixed(1)} ms real = ${(shape.listBackupsRealMsPerPage / scale).toFixed(0)} ms simulated)`,
  );
  const rows: string[][] = ops.map((op) => [
    op,
    callCell(ours.calls, op),
    callCell(naive.calls, op),
    callCell(throttled.calls, op),
  ]);
  rows.push(
    ['-'],
    ['total calls (every attempt)', callCell(ours.calls), callCell(naive.calls), callCell(throttled.calls)],
    ['lower bound ceil(T/100)+ceil(B/100)+K', int(shape.lowerBound), '', int(shape.lowerBound)],
    [
      'calls / lower bound',
      ratio(oursTotal / shape.lowerBound),
      ratio(totalCalls(naive.calls) / shape.lowerBound),
      ratio(totalCalls(throttled.calls) / shape.lowerBound),
    ],
    [
      'simulated wall time',
      seconds(ours.simulatedMs),
      seconds(naive.simulatedMs),
      seconds(throttled.simulatedMs),
    ],
    ['model floor (computed) †', `≈ ${seconds(floor.ours)}`, `≈ ${seconds(floor.naive)}`, ''],
    [
      `ours' ListBackups pacing, ${DEFAULT_RATE_LIMITS.listBackupsPerSecond}/s (computed)`,
      `≈ ${seconds(floor.oursPacing)}`,
      '',
      '',
    ],
    [
      'real time (timeScale)',
      `${seconds(ours.realMs)} (${scale})`,
      `${seconds(naive.realMs)} (${naiveScale})`,
      `${seconds(throttled.realMs)} (${scale})`,
    ],
    ['naive / ours (simulated time)', '', `${ratio(naive.simulatedMs / ours.simulatedMs, 1)}×`, ''],
    [
      'wrong findings (vs expectedStatus)',
      int(ours.correctness.wrong),
      `${int(naive.correctness.wrong)} *`,
      int(throttled.correctness.wrong),
    ],
    [
      'ERROR findings',
      int(ours.correctness.errors),
      int(naive.correctness.errors),
      int(throttled.correctness.errors),
    ],
    [
      'reasons mentioning Throttl',
      int(ours.correctness.throttleReasons),
      int(naive.correctness.throttleReasons),
      int(throttled.correctness.throttleReasons),
    ],
    [
      'throttled calls retried',
      int(totalCalls(ours.calls, 'throttled')),
      int(totalCalls(naive.calls, 'throttled')),
      int(totalCalls(throttled.calls, 'throttled')),
    ],
  );
  for (const line of table(['', 'ours', 'naive', `ours, first ${THROTTLE_FIRST} calls/op throttled`], rows)) {
    console.log(`  ${line}`);
  }
  console.log(`  ours phases (simulated time):          ${phaseLine(ours)}`);
  console.log(`  ours phases, first ${THROTTLE_FIRST} calls throttled: ${phaseLine(throttled)}`);
  console.log(
    `  computed, not run: per-table ListBackups(TableName) alone at 5/s = T/5 = ${seconds((r.tables / 5) * 1000)}` +
      ` (${int(r.tables)} calls), ${ratio((r.tables / 5) * (1000 / ours.simulatedMs), 1)}× ours`,
  );
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
  const rows = results.map((r) => [
    int(r.tables),
    int(r.shape.nativeBackups),
    int(r.shape.withoutUsableNative),
    int(r.shape.lowerBound),
    int(totalCalls(r.ours.calls)),
    ratio(totalCalls(r.ours.calls) / r.shape.lowerBound),
    int(totalCalls(r.naive.calls)),
    seconds(r.ours.simulatedMs),
    seconds(r.naive.simulatedMs),
    `${ratio(r.naive.simulatedMs / r.ours.simulatedMs, 1)}×`,
    `${int(r.ours.correctness.wrong)} / ${int(r.throttled.correctness.wrong)}`,
    int(totalCalls(r.throttled.calls, 'throttled')),
  ]);
  const header = [
    'T',
    'B',
    'K',
    'bound',
    'ours calls',
    'ours/bound',
    'naive calls',
    'ours time',
    'naive time',
    'naive/ours',
    'wrong (ours/thr)',
    'thr retried',
  ];
  for (const line of table(header, rows)) console.log(`  ${line}`);
}

function printTargets(results: Result[]): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('');
  console.log('Targets');
  const callRatios = results.map((r) => totalCalls(r.ours.calls) / r.shape.lowerBound);
  console.log(
    `  ${verdict(callRatios.every((x) => x <= CALLS_TARGET))}  calls ≤ ${CALLS_TARGET} × lower bound at every T: ` +
      results.map((r, i) => `T=${int(r.tables)} ${ratio(callRatios[i] ?? NaN)}`).join(', '),
  );
  const big = results.find((r) => r.tables === SPEED_TARGET_TABLES);
  if (big) {
    const speedup = big.naive.simulatedMs / big.ours.simulatedMs;
    console.log(
      `  ${verdict(speedup >= SPEED_TARGET)}  ≥ ${SPEED_TARGET}× faster than naive at ${int(SPEED_TARGET_TABLES)} tables: ` +
        `${ratio(speedup, 1)}× (${seconds(big.naive.simulatedMs)} / ${seconds(big.ours.simulatedMs)}); ` +
        `the model's floors alone give ${ratio(floors(big).naive / floors(big).ours, 1)}×`,
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
      `  SKIP  ≥ ${SPEED_TARGET}× faster than naive at ${int(SPEED_TARGET_TABLES)} tables: not run (--quick)`,
    );
  }
  const wrong = results.reduce((s, r) => s + r.ours.correctness.wrong + r.throttled.correctness.wrong, 0);
  console.log(`  ${verdict(wrong === 0)}  no wrong finding (ours, both runs, every T): ${int(wrong)} wrong`);
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

function parseScale(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      'naive-scale': { type: 'string' },
      mix: { type: 'string', default: 'both' },
    },
  });
  if (values.mix !== 'both' && !(values.mix in MIXES)) {
    throw new Error(`--mix must be one of ${Object.keys(MIXES).join(', ')} or both, got '${values.mix}'`);
  }
  const mixes = (values.mix === 'both' ? Object.keys(MIXES) : [values.mix]) as MixName[];
  const scale = parseScale(values.scale, 'scale', DEFAULT_SCALE);
  const naiveScale = parseScale(values['naive-scale'], 'naive-scale', Math.min(scale, DEFAULT_NAIVE_SCALE));
  const sizes = values.quick ? [100, 1_000] : [100, 1_000, 10_000];

  console.log(
    'DynamoDB backup audit benchmark: this project (collectFindings) vs the naive per-table procedure',
  );
  for (const line of describeModel(scale, naiveScale)) console.log(line);
  const started = performance.now();
  const scales = [...new Set([scale, naiveScale])];
  for (const s of scales) {
    const perCall = await calibrate(s);
    console.log(
      `Harness   at timeScale ${s}, one sequential call measures ${perCall.toFixed(1)} ms of simulated time ` +
        `(model: ${LATENCY_MS} ms);`,
    );
  }
  console.log(
    '          the excess is real timer and SDK overhead divided by timeScale: it slows sequential calls',
  );
  console.log(
    '          (the naive procedure) more than paced ones (ours, whose ListBackups pacing dominates)',
  );

  const resultsByMix = new Map<MixName, Result[]>();
  for (const mix of mixes) {
    console.log('');
    console.log(`==== mix "${mix}": ${MIXES[mix].label}`);
    const results: Result[] = [];
    for (const tables of sizes) {
      const result = await benchmark(tables, scale, naiveScale, mix);
      results.push(result);
      printResult(result, scale, naiveScale);
    }
    resultsByMix.set(mix, results);
  }
  console.log('');
  for (const line of [
    "* Judged with this project's rule from what the naive procedure reads: AWS Backup only. In this simulator",
    '  ListRecoveryPointsByResource returns AWS Backup recovery points only, never native backups, so it',
    '  misjudges tables covered by native backups alone. Its wrong findings are not a target.',
    '† ours: ceil((B+1)/100) ListBackups pages (the last one empty when B is a multiple of 100) at the',
    "  model's 5/s; naive: ListTables pages, then max(2 calls × 20 ms per table, ListRecoveryPointsByResource",
    '  at 20/s). Neither counts retries or the harness overhead measured above.',
  ]) {
    console.log(line);
  }
  for (const [mix, results] of resultsByMix) {
    console.log('');
    console.log(`==== mix "${mix}"`);
    printSummary(results);
    printTargets(results);
  }
  console.log('');
  console.log(`Benchmark real time: ${seconds(performance.now() - started)}`);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
