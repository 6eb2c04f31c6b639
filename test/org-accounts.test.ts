/**
 * Which accounts a run audits: the AuditAccounts setting, the check of an event's account, and the
 * organization's ACTIVE accounts read through every ListAccounts page, empty pages included.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ConfigurationError } from '../lambda/shared/config';
import { isAuditedAccount, parseAuditAccounts, resolveAccounts } from '../lambda/shared/org/audit-accounts';
import { listActiveAccounts, listOrganizationAccounts } from '../lambda/shared/org/list-accounts';
import { SimulatedAccount, SimulatedOrganization } from '../sim';

const HOME = '111111111111';

describe('AuditAccounts', () => {
  it('empty means this account only', () => {
    const setting = parseAuditAccounts('  ');

    expect(setting).toEqual({ kind: 'home' });
    expect(isAuditedAccount(setting, HOME, HOME)).toBe(true);
    expect(isAuditedAccount(setting, HOME, '444455556666')).toBe(false);
  });

  it('ORGANIZATION accepts any well-formed account id (the member role enforces membership)', () => {
    const setting = parseAuditAccounts('ORGANIZATION');

    expect(setting).toEqual({ kind: 'organization' });
    expect(isAuditedAccount(setting, HOME, '444455556666')).toBe(true);
    expect(isAuditedAccount(setting, HOME, '4444')).toBe(false);
    expect(isAuditedAccount(setting, HOME, '444455556666 ')).toBe(false);
  });

  it('a list audits exactly those accounts, deduplicated', () => {
    const setting = parseAuditAccounts('444455556666, 222233334444,444455556666');

    expect(setting).toEqual({ kind: 'list', accountIds: ['444455556666', '222233334444'] });
    expect(isAuditedAccount(setting, HOME, '222233334444')).toBe(true);
    expect(isAuditedAccount(setting, HOME, HOME)).toBe(false);
  });

  it.each([
    'organisation',
    '1234',
    '444455556666,',
    '444455556666;222233334444',
    'arn:aws:iam::444455556666:root',
  ])('refuses %j with a message naming the bad value', (value) => {
    expect(() => parseAuditAccounts(value)).toThrow(ConfigurationError);
    expect(() => parseAuditAccounts(value)).toThrow(/AuditAccounts must be empty, ORGANIZATION, or 12-digit/);
  });

  it('resolves the organization only when asked to', async () => {
    const list = jest.fn(async () => ['444455556666', '222233334444', '444455556666']);

    await expect(resolveAccounts({ kind: 'home' }, HOME, list)).resolves.toEqual([HOME]);
    await expect(
      resolveAccounts({ kind: 'list', accountIds: ['9'.repeat(12), '1'.repeat(12)] }, HOME, list),
    ).resolves.toEqual(['1'.repeat(12), '9'.repeat(12)]);
    expect(list).not.toHaveBeenCalled();
    await expect(resolveAccounts({ kind: 'organization' }, HOME, list)).resolves.toEqual([
      '222233334444',
      '444455556666',
    ]);
  });
});

describe('listing the organization', () => {
  function organization(accounts: number, emptyPages: boolean) {
    const org = new SimulatedOrganization({
      management: new SimulatedAccount({ accountId: HOME }),
      emptyPages,
      rateLimits: { ListAccounts: Infinity },
    });
    for (let i = 0; i < accounts; i++) {
      const state = i % 10 === 9 ? 'SUSPENDED' : i % 25 === 7 ? 'PENDING_CLOSURE' : 'ACTIVE';
      org.addAccount(new SimulatedAccount({ accountId: String(300000000000 + i) }), { state });
    }
    return org;
  }

  it.each([false, true])(
    'reads every page of 20 (empty pages: %s) and keeps ACTIVE accounts',
    async (emptyPages) => {
      const org = organization(99, emptyPages);
      const client = org.client(OrganizationsClient, { region: 'us-east-1' });

      const listed = await listOrganizationAccounts(client);

      // 100 accounts (the management account included): 5 pages of 20, each after an empty one.
      expect(listed.pages).toBe(emptyPages ? 10 : 5);
      expect(org.callCount('ListAccounts')).toBe(listed.pages);
      const suspended = Object.entries(listed.skipped).filter(([, state]) => state === 'SUSPENDED');
      expect(suspended).toHaveLength(9);
      expect(Object.values(listed.skipped).filter((state) => state === 'PENDING_CLOSURE')).toHaveLength(4);
      expect(listed.active).toHaveLength(100 - Object.keys(listed.skipped).length);
      expect(listed.active).toContain(HOME);
      expect(listed.active).not.toContain('300000000009');
      expect([...listed.active].sort()).toEqual(listed.active);
    },
  );

  it('keeps paging through a ListAccounts quota, retried by the SDK', async () => {
    const org = new SimulatedOrganization({
      management: new SimulatedAccount({ accountId: HOME }),
      emptyPages: true,
      rateLimits: { ListAccounts: 2 },
      timeScale: 0.05,
    });
    for (let i = 0; i < 45; i++)
      org.addAccount(new SimulatedAccount({ accountId: String(300000000000 + i) }));
    const client = org.client(OrganizationsClient, {
      region: 'us-east-1',
      retryMode: 'adaptive',
      maxAttempts: 10,
    });

    const active = await listActiveAccounts(client);

    expect(active).toHaveLength(46);
    expect(org.callCount('ListAccounts', undefined, 'throttled')).toBeGreaterThan(0);
  });
});
