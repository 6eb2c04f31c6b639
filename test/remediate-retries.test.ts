/**
 * CreateBackup under throttling, limits and lost answers, through the SDK's real retry strategy: the
 * product's DynamoDB client (its retry policy, with the waits shortened) attached to the simulated
 * account, which throttles, refuses and loses answers like DynamoDB.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { remediateTables } from '../lambda/remediate/remediate';
import { parseTableArn, TableRef } from '../lambda/shared/arn';
import { backupName } from '../lambda/shared/backup-name';
import { clientConfig, MAX_ATTEMPTS } from '../lambda/shared/clients';
import { DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { FAULT_ERRORS, SimulatedAccount } from '../sim';

const REGION = 'eu-west-1';
const NOW = new Date('2026-11-28T06:00:00Z');
const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

function tableRef(sim: SimulatedAccount, name: string): TableRef {
  const parsed = parseTableArn(sim.tableArn(REGION, name));
  if ('invalid' in parsed) throw new Error(parsed.invalid);
  return parsed;
}

/**
 * The product's client configuration; `fastRetries` shortens its waits to 1 ms (same attempts) so
 * tests of refused and lost answers run fast.
 */
function remediate(sim: SimulatedAccount, names: string[], fastRetries = true) {
  const dynamodb = sim.attach(
    new DynamoDBClient({
      ...clientConfig(REGION),
      ...(fastRetries ? { retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, () => 1) } : {}),
    }),
  );
  return remediateTables(
    { dynamodbFor: () => dynamodb, logger, rates: DEFAULT_RATE_LIMITS, now: () => NOW },
    names.map((name) => tableRef(sim, name)),
  );
}

function accountWith(...names: string[]): SimulatedAccount {
  const sim = new SimulatedAccount();
  for (const name of names) sim.addTable(REGION, name);
  return sim;
}

const backupsOf = (sim: SimulatedAccount, table: string) =>
  sim.regionState(REGION).backups.filter((b) => b.tableName === table);

describe('remediation retries (SDK retry strategy, simulated DynamoDB)', () => {
  it('uses one retry layer: the client’s adaptive retry with at most 10 attempts a call', () => {
    expect(clientConfig(REGION)).toMatchObject({ retryMode: 'adaptive', maxAttempts: 10 });
    expect(MAX_ATTEMPTS).toBe(10);
  });

  it('retries CreateBackup after LimitExceededException and creates one backup', async () => {
    const sim = accountWith('orders');
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.limitExceeded, times: 3 });

    const [result] = await remediate(sim, ['orders']);

    expect(result).toMatchObject({ status: 'CREATED', backupName: backupName('orders', NOW) });
    expect(sim.callCount('CreateBackup', REGION)).toBe(4);
    expect(backupsOf(sim, 'orders')).toHaveLength(1);
    // Refused attempts made nothing: no look for a backup before retrying them.
    expect(sim.callCount('ListBackups', REGION)).toBe(1); // the idempotency listing only
  });

  it('stops after 10 attempts of a table still limited, naming the count, and goes on with the others', async () => {
    const sim = accountWith('orders', 'payments');
    sim.inject({
      operation: 'CreateBackup',
      error: FAULT_ERRORS.limitExceeded,
      input: { TableName: 'orders' },
      times: Infinity,
    });

    const results = await remediate(sim, ['orders', 'payments']);

    expect(results[0]).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/^CreateBackup failed after 10 attempts: LimitExceededException/),
    });
    expect(results[1]).toMatchObject({ status: 'CREATED' });
    expect(sim.callCount('CreateBackup', REGION, 'failed')).toBe(10);
    expect(backupsOf(sim, 'orders')).toHaveLength(0);
  });

  it('reports CREATED, and makes no second backup, when the first attempt’s answer was lost (500)', async () => {
    const sim = accountWith('orders');
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.internalServerError, when: 'lost' });

    const [result] = await remediate(sim, ['orders']);

    expect(result).toMatchObject({ status: 'CREATED', backupName: backupName('orders', NOW) });
    expect(result?.backupArn).toBe(backupsOf(sim, 'orders')[0]?.arn);
    expect(backupsOf(sim, 'orders')).toHaveLength(1);
    expect(sim.callCount('CreateBackup', REGION)).toBe(1); // the retry found the backup instead
    expect(sim.callCount('ListBackups', REGION)).toBe(2); // idempotency listing + the check
  });

  it('reports CREATED, not SKIPPED, when a timed-out attempt’s backup is still being made', async () => {
    // Without the check, the retry would meet BackupInUseException from this very call's backup.
    const sim = new SimulatedAccount({ backupCompletesAfterMs: 60_000 });
    sim.addTable(REGION, 'orders');
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.timeout, when: 'lost' });

    const [result] = await remediate(sim, ['orders']);

    expect(result).toMatchObject({ status: 'CREATED', backupName: backupName('orders', NOW) });
    expect(backupsOf(sim, 'orders')).toHaveLength(1);
  });

  it('retries an uncertain attempt that made nothing, after checking, and creates one backup', async () => {
    const sim = accountWith('orders');
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.timeout }); // refused: nothing made

    const [result] = await remediate(sim, ['orders']);

    expect(result).toMatchObject({ status: 'CREATED' });
    expect(sim.callCount('CreateBackup', REGION)).toBe(2);
    expect(backupsOf(sim, 'orders')).toHaveLength(1);
  });

  it('skips the table when another run of this tool backed it up between two attempts', async () => {
    const sim = accountWith('orders');
    const other = backupName('orders', new Date(Date.now() + 1000));
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.timeout });
    sim.inject({
      operation: 'ListBackups',
      // The check itself is answered after the concurrent run made its backup.
      error: () => {
        sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE', name: other });
        return FAULT_ERRORS.internalServerError();
      },
      input: { TableName: 'orders' },
    });

    const [result] = await remediate(sim, ['orders']);

    expect(result).toMatchObject({ status: 'SKIPPED', backupName: other });
    expect(backupsOf(sim, 'orders').map((b) => b.name)).toEqual([other]);
  });

  it('never retries into a second backup when it cannot check for the first one', async () => {
    const sim = accountWith('orders');
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.timeout, when: 'lost' });
    sim.inject({
      operation: 'ListBackups',
      input: { TableName: 'orders' },
      error: () => FAULT_ERRORS.accessDenied('not authorized to perform dynamodb:ListBackups'),
    });

    const [result] = await remediate(sim, ['orders']);

    expect(result).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('checking for its backup failed'),
    });
    expect(backupsOf(sim, 'orders')).toHaveLength(1);
    expect(sim.callCount('CreateBackup', REGION)).toBe(1);
  });

  it('backs up 60 tables under a CreateBackup rate limit, slowed by adaptive retry, each exactly once', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `table-${String(i).padStart(3, '0')}`);
    // Half the product's pacing: the account throttles, the product's adaptive retry slows down.
    const sim = new SimulatedAccount({ rateLimits: { CreateBackup: 20 } });
    for (const name of names) sim.addTable(REGION, name);

    const results = await remediate(sim, names, false);

    expect(results.map((r) => r.status)).toEqual(names.map(() => 'CREATED'));
    expect(sim.callCount('CreateBackup', REGION, 'throttled')).toBeGreaterThan(0);
    for (const name of names) expect(backupsOf(sim, name)).toHaveLength(1);
  });
});
