/** Populated simulated accounts: a seeded, realistic scenario for benchmarks and a readable demo account. */
import { SimulatedAccount, type SimulatedAccountOptions } from './account';
import { mulberry32 } from './ids';

/** Share of each kind of table in a region (normalised, so they need not sum to 1). */
export interface ScenarioMix {
  /** 1–3 AVAILABLE native backups; some also older DELETED ones or a recovery point. COMPLIANT. */
  readonly native: number;
  /** Only AWS Backup: a COMPLETED recovery point in vault 'Default'. COMPLIANT. */
  readonly awsBackupOnly: number;
  /** Only unusable backups: native CREATING/DELETED, recovery points PARTIAL/EXPIRED. NON_COMPLIANT. */
  readonly unusableOnly: number;
  /** No backup at all. NON_COMPLIANT. */
  readonly none: number;
}

export const DEFAULT_MIX: ScenarioMix = { native: 0.75, awsBackupOnly: 0.1, unusableOnly: 0.05, none: 0.1 };

/** The SNS topic every built account has in each of its regions. */
export const SCENARIO_TOPIC_NAME = 'dynamodb-backup-auditor';

export interface ScenarioOptions {
  readonly regions: readonly string[];
  readonly tablesPerRegion: number;
  readonly seed: number;
  readonly mix?: Partial<ScenarioMix>;
  /** AVAILABLE native backups of each `native` table, drawn uniformly from [min, max]. @default [1, 3] */
  readonly nativeBackupsPerTable?: readonly [number, number];
  /** Share of `native` tables that also keep 1–2 older DELETED backups. @default 0.3 */
  readonly deletedBackupShare?: number;
  /** Deleted tables per region whose backups stay listed. @default max(1, 2% of tablesPerRegion) */
  readonly deletedTablesPerRegion?: number;
  /**
   * Share of `native` tables that also have a COMPLETED copy in the next region's 'Default' vault
   * (a cross-region copy keeps its source table ARN). @default 0.05 (0 with a single region)
   */
  readonly crossRegionCopies?: number;
  /**
   * Reference time: backups are dated days before it. Pass it to make timestamps (and the ARNs that
   * embed them) identical between runs; names, counts and states depend on `seed` only.
   * @default the current time
   */
  readonly now?: Date;
  /** Options of the account; `seed` defaults to the scenario's seed. */
  readonly sim?: SimulatedAccountOptions;
}

type Category = keyof ScenarioMix;

const CATEGORIES: readonly Category[] = ['native', 'awsBackupOnly', 'unusableOnly', 'none'];
const WORDS = [
  'orders',
  'payments',
  'sessions',
  'users',
  'inventory',
  'events',
  'audit',
  'carts',
  'invoices',
  'metrics',
  'profiles',
  'shipments',
  'catalog',
  'reviews',
  'tokens',
  'notifications',
];
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Exact category counts (largest remainder), so a region of n tables has the mix as closely as it can. */
function categoryCounts(n: number, mix: ScenarioMix): Record<Category, number> {
  const total = CATEGORIES.reduce((sum, c) => sum + Math.max(0, mix[c]), 0);
  if (total <= 0) throw new Error('buildScenario: the mix must have a positive share');
  const exact = CATEGORIES.map((c) => ({ c, x: (n * Math.max(0, mix[c])) / total }));
  const counts = { native: 0, awsBackupOnly: 0, unusableOnly: 0, none: 0 };
  for (const { c, x } of exact) counts[c] = Math.floor(x);
  let left = n - CATEGORIES.reduce((sum, c) => sum + counts[c], 0);
  for (const { c } of [...exact].sort((a, b) => b.x - Math.floor(b.x) - (a.x - Math.floor(a.x)))) {
    if (left <= 0) break;
    counts[c]++;
    left--;
  }
  return counts;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i];
    const b = items[j];
    if (a !== undefined && b !== undefined) {
      items[i] = b;
      items[j] = a;
    }
  }
  return items;
}

/**
 * A populated account: in each region `tablesPerRegion` tables in the proportions of `mix`, a few
 * deleted tables whose backups remain, cross-region copies, and the SCENARIO_TOPIC_NAME topic.
 * Deterministic for a given seed. Check findings with `sim.expectedStatus(region, table)`.
 */
export function buildScenario(opts: ScenarioOptions): SimulatedAccount {
  const sim = new SimulatedAccount({ seed: opts.seed, ...opts.sim });
  const random = mulberry32(opts.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const now = (opts.now ?? new Date()).getTime();
  const daysAgo = (min: number, max: number) =>
    new Date(now - int(min * 24, max * 24) * HOUR_MS - int(0, 3599) * 1000);
  const mix = { ...DEFAULT_MIX, ...opts.mix };
  const [nativeMin, nativeMax] = opts.nativeBackupsPerTable ?? [1, 3];
  const deletedShare = opts.deletedBackupShare ?? 0.3;
  const copyShare = opts.regions.length > 1 ? (opts.crossRegionCopies ?? 0.05) : 0;
  const deleted = opts.deletedTablesPerRegion ?? Math.max(1, Math.round(opts.tablesPerRegion * 0.02));
  const width = Math.max(4, String(opts.tablesPerRegion).length);

  opts.regions.forEach((region, regionIndex) => {
    sim.addTopic(region, SCENARIO_TOPIC_NAME);
    const counts = categoryCounts(opts.tablesPerRegion, mix);
    const categories = shuffle(
      CATEGORIES.flatMap((c) => Array.from({ length: counts[c] }, () => c)),
      random,
    );
    const copyRegion = opts.regions[(regionIndex + 1) % opts.regions.length];

    categories.forEach((category, i) => {
      const word = WORDS[int(0, WORDS.length - 1)] ?? 'table';
      const name = `${word}-${String(i).padStart(width, '0')}`;
      sim.addTable(region, name, { createdAt: daysAgo(200, 800) });
      switch (category) {
        case 'native': {
          const available = int(nativeMin, nativeMax);
          for (let k = 0; k < available; k++) {
            sim.addNativeBackup(region, name, { status: 'AVAILABLE', createdAt: daysAgo(0, 30) });
          }
          if (random() < deletedShare) {
            const old = int(1, 2);
            for (let k = 0; k < old; k++) {
              sim.addNativeBackup(region, name, { status: 'DELETED', createdAt: daysAgo(40, 120) });
            }
          }
          if (random() < 0.1)
            sim.addRecoveryPoint(region, name, { status: 'COMPLETED', createdAt: daysAgo(0, 7) });
          if (copyRegion && copyRegion !== region && random() < copyShare) {
            sim.addRecoveryPoint(region, name, {
              status: 'COMPLETED',
              vaultRegion: copyRegion,
              createdAt: daysAgo(0, 7),
            });
          }
          break;
        }
        case 'awsBackupOnly': {
          const points = int(1, 2);
          for (let k = 0; k < points; k++) {
            sim.addRecoveryPoint(region, name, { status: 'COMPLETED', createdAt: daysAgo(0, 7) });
          }
          if (random() < 0.3)
            sim.addRecoveryPoint(region, name, { status: 'EXPIRED', createdAt: daysAgo(40, 90) });
          break;
        }
        case 'unusableOnly': {
          switch (int(0, 4)) {
            case 0:
              sim.addNativeBackup(region, name, { status: 'CREATING', createdAt: daysAgo(0, 0) });
              break;
            case 1:
              sim.addNativeBackup(region, name, { status: 'DELETED', createdAt: daysAgo(40, 120) });
              break;
            case 2:
              sim.addRecoveryPoint(region, name, { status: 'PARTIAL', createdAt: daysAgo(0, 7) });
              break;
            case 3:
              sim.addRecoveryPoint(region, name, { status: 'EXPIRED', createdAt: daysAgo(40, 90) });
              break;
            default:
              sim.addNativeBackup(region, name, { status: 'DELETED', createdAt: daysAgo(40, 120) });
              sim.addRecoveryPoint(region, name, { status: 'EXPIRED', createdAt: daysAgo(40, 90) });
          }
          break;
        }
        case 'none':
          break;
      }
    });

    for (let d = 0; d < deleted; d++) {
      const name = `retired-${String(d).padStart(width, '0')}`;
      sim.addTable(region, name, { createdAt: daysAgo(400, 900) });
      const backups = int(1, 2);
      for (let k = 0; k < backups; k++) {
        sim.addNativeBackup(region, name, {
          status: 'AVAILABLE',
          type: random() < 0.5 ? 'USER' : 'SYSTEM',
          createdAt: daysAgo(10, 60),
        });
      }
      if (random() < 0.5)
        sim.addRecoveryPoint(region, name, { status: 'COMPLETED', createdAt: daysAgo(10, 60) });
      sim.deleteTable(region, name);
    }
  });
  return sim;
}

/**
 * A small account with readable table names covering every backup state, for the CLI's --demo mode.
 * Regions us-east-1, eu-west-1 and ap-southeast-2, each with the SCENARIO_TOPIC_NAME topic.
 */
export function buildDemoAccount(opts: { now?: Date; sim?: SimulatedAccountOptions } = {}): SimulatedAccount {
  const sim = new SimulatedAccount({ seed: 2024, ...opts.sim });
  const now = (opts.now ?? new Date()).getTime();
  const ago = (days: number, hours = 0) => new Date(now - days * DAY_MS - hours * HOUR_MS);
  const created = ago(420);

  // us-east-1
  const use1 = 'us-east-1';
  sim.addTopic(use1, SCENARIO_TOPIC_NAME);
  sim.addTable(use1, 'orders', { createdAt: created });
  sim.addNativeBackup(use1, 'orders', { status: 'AVAILABLE', createdAt: ago(1, 2), name: 'orders-nightly' });
  sim.addNativeBackup(use1, 'orders', { status: 'AVAILABLE', createdAt: ago(8, 2), name: 'orders-weekly' });
  // mixed: a usable native backup, an old deleted one and an AWS Backup recovery point
  sim.addTable(use1, 'payments', { createdAt: created });
  sim.addNativeBackup(use1, 'payments', {
    status: 'AVAILABLE',
    createdAt: ago(2),
    name: 'payments-pre-migration',
  });
  sim.addNativeBackup(use1, 'payments', { status: 'DELETED', createdAt: ago(95), name: 'payments-q1' });
  sim.addRecoveryPoint(use1, 'payments', { status: 'COMPLETED', createdAt: ago(1, 5) });
  sim.addTable(use1, 'sessions-cache', { createdAt: created }); // no backup at all
  sim.addTable(use1, 'audit-log', { createdAt: created }); // AWS Backup only
  sim.addRecoveryPoint(use1, 'audit-log', { status: 'COMPLETED', createdAt: ago(0, 20) });
  sim.addRecoveryPoint(use1, 'audit-log', { status: 'COMPLETED', createdAt: ago(1, 20) });
  sim.addTable(use1, 'inventory', { createdAt: created }); // only a backup in progress
  sim.addNativeBackup(use1, 'inventory', { status: 'CREATING', createdAt: ago(0, 0), name: 'inventory-now' });
  sim.addTable(use1, 'customers-staging', { status: 'CREATING', createdAt: ago(0, 0) });
  sim.addTable(use1, 'legacy-reports', { createdAt: ago(900) }); // deleted, backups remain
  sim.addNativeBackup(use1, 'legacy-reports', {
    status: 'AVAILABLE',
    createdAt: ago(30),
    name: 'legacy-final',
  });
  sim.deleteTable(use1, 'legacy-reports');

  // eu-west-1
  const euw1 = 'eu-west-1';
  sim.addTopic(euw1, SCENARIO_TOPIC_NAME);
  sim.addTable(euw1, 'invoices', { createdAt: created }); // only a deleted backup
  sim.addNativeBackup(euw1, 'invoices', { status: 'DELETED', createdAt: ago(60), name: 'invoices-2024' });
  sim.addTable(euw1, 'shipments', { createdAt: created }); // only unusable recovery points
  sim.addRecoveryPoint(euw1, 'shipments', { status: 'PARTIAL', createdAt: ago(1) });
  sim.addRecoveryPoint(euw1, 'shipments', { status: 'EXPIRED', createdAt: ago(70) });
  sim.addTable(euw1, 'users', { createdAt: created });
  sim.addNativeBackup(euw1, 'users', { status: 'AVAILABLE', createdAt: ago(3), name: 'users-daily' });
  sim.addNativeBackup(euw1, 'users', { status: 'CREATING', createdAt: ago(0, 0), name: 'users-adhoc' });
  sim.addTable(euw1, 'feature-flags', { createdAt: created }); // no backup
  // No backup on purpose, and tagged as exempt for another ten days.
  sim.addTable(euw1, 'scratch-imports', { createdAt: created });
  sim.tagTable(euw1, 'scratch-imports', {
    'dynamodb-005:exempt-reason': 'Rebuilt nightly from S3',
    'dynamodb-005:exempt-until': new Date(now + 10 * DAY_MS).toISOString().slice(0, 10),
  });
  // Backed up once, half a year ago: compliant by the rule as written, too old with --max-age.
  sim.addTable(euw1, 'archive', { createdAt: created });
  sim.addNativeBackup(euw1, 'archive', { status: 'AVAILABLE', createdAt: ago(180), name: 'archive-h1' });
  // Same name as us-east-1's table, covered by its own vault; it also holds a copy of us-east-1 orders.
  sim.addTable(euw1, 'orders', { createdAt: created });
  sim.addRecoveryPoint(euw1, 'orders', { status: 'COMPLETED', vault: 'compliance-vault', createdAt: ago(2) });
  sim.addRecoveryPoint(use1, 'orders', { status: 'COMPLETED', vaultRegion: euw1, createdAt: ago(1) });

  // ap-southeast-2
  const apse2 = 'ap-southeast-2';
  sim.addTopic(apse2, SCENARIO_TOPIC_NAME);
  sim.addTable(apse2, 'orders', { createdAt: created });
  sim.addNativeBackup(apse2, 'orders', { status: 'AVAILABLE', createdAt: ago(5), name: 'orders-apac' });
  sim.addTable(apse2, 'clickstream', { createdAt: created }); // only an expired point
  sim.addRecoveryPoint(apse2, 'clickstream', { status: 'EXPIRED', createdAt: ago(45) });
  // Only a SYSTEM backup: ListBackups lists it with BackupType SYSTEM or ALL, not with the default USER.
  sim.addTable(apse2, 'notifications', { createdAt: created });
  sim.addNativeBackup(apse2, 'notifications', {
    status: 'AVAILABLE',
    type: 'SYSTEM',
    createdAt: ago(4),
    name: 'notifications-system',
  });
  sim.addTable(apse2, 'recommendations', { createdAt: created }); // no backup
  return sim;
}
