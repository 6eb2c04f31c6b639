/**
 * The simulated account's S3 and Security Hub models, through real SDK v3 clients.
 */
import { NoSuchBucket, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidAccessException,
  InvalidInputException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { toAsff } from '../lambda/shared/securityhub/asff';
import { SimulatedAccount } from '../sim';

const REGION = 'eu-west-1';

function asff(
  sim: SimulatedAccount,
  table: string,
  overrides: Partial<AwsSecurityFinding> = {},
): AwsSecurityFinding {
  return {
    ...toAsff(
      {
        ruleId: 'DynamoDB-005',
        region: REGION,
        tableName: table,
        tableArn: sim.tableArn(REGION, table),
        status: 'COMPLIANT',
        reason: 'Has a usable backup.',
      },
      { accountId: sim.accountId, auditedAt: '2026-11-28T06:00:00.000Z' },
    ),
    ...overrides,
  };
}

describe('simulated S3', () => {
  it('stores what PutObject sends, in a bucket of the client’s region', async () => {
    const sim = new SimulatedAccount();
    sim.addBucket(REGION, 'reports');
    const s3 = sim.client(S3Client, { region: REGION });

    await s3.send(
      new PutObjectCommand({
        Bucket: 'reports',
        Key: 'a/b.json',
        Body: '{"ok":true}\n',
        ContentType: 'application/json',
        ExpectedBucketOwner: sim.accountId,
      }),
    );

    expect(sim.objects('reports').get('a/b.json')).toMatchObject({
      body: '{"ok":true}\n',
      contentType: 'application/json',
    });
  });

  it('refuses a missing bucket, another region’s endpoint and another owner, as S3 does', async () => {
    const sim = new SimulatedAccount();
    sim.addBucket(REGION, 'reports');
    const put = (region: string, input: Partial<ConstructorParameters<typeof PutObjectCommand>[0]>) =>
      sim
        .client(S3Client, { region, maxAttempts: 1 })
        .send(new PutObjectCommand({ Bucket: 'reports', Key: 'k', Body: 'x', ...input }));

    await expect(put(REGION, { Bucket: 'missing' })).rejects.toBeInstanceOf(NoSuchBucket);
    await expect(put('us-east-1', {})).rejects.toMatchObject({ name: 'PermanentRedirect' });
    await expect(put(REGION, { ExpectedBucketOwner: '999999999999' })).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    expect(sim.objects('reports').size).toBe(0);
  });
});

describe('simulated Security Hub', () => {
  it('is off until enabled: GetFindings is refused and every imported finding fails with InvalidAccess', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    const hub = sim.client(SecurityHubClient, { region: REGION, maxAttempts: 1 });

    await expect(hub.send(new GetFindingsCommand({}))).rejects.toBeInstanceOf(InvalidAccessException);
    const output = await hub.send(new BatchImportFindingsCommand({ Findings: [asff(sim, 'orders')] }));

    expect(output).toMatchObject({
      FailedCount: 1,
      SuccessCount: 0,
      FailedFindings: [{ ErrorCode: 'InvalidAccess' }],
    });
    expect(sim.securityHubFindings(REGION)).toEqual([]);
  });

  it('imports valid findings of the caller’s account and default product, and refuses the others one by one', async () => {
    const sim = new SimulatedAccount();
    sim.enableSecurityHub(REGION);
    const hub = sim.client(SecurityHubClient, { region: REGION });

    const output = await hub.send(
      new BatchImportFindingsCommand({
        Findings: [
          asff(sim, 'orders'),
          asff(sim, 'other-account', { AwsAccountId: '999999999999' }),
          asff(sim, 'no-title', { Title: undefined }),
          asff(sim, 'long-title', { Title: 'x'.repeat(257) }),
        ],
      }),
    );

    expect(output.SuccessCount).toBe(1);
    expect(output.FailedFindings?.map((f) => [f.Id?.split('/')[1], f.ErrorCode])).toEqual([
      ['other-account', 'AccessDeniedException'],
      ['no-title', 'InvalidInput'],
      ['long-title', 'InvalidInput'],
    ]);
    expect(
      sim.securityHubFindings(REGION).map((f) => [f.Resources?.[0]?.Id, f.Region, f.RecordState]),
    ).toEqual([[sim.tableArn(REGION, 'orders'), REGION, 'ACTIVE']]);
  });

  it('takes at most 100 findings a call', async () => {
    const sim = new SimulatedAccount();
    sim.enableSecurityHub(REGION);
    const hub = sim.client(SecurityHubClient, { region: REGION });
    const findings = Array.from({ length: 101 }, (_, i) => asff(sim, `t-${i}`));

    await expect(hub.send(new BatchImportFindingsCommand({ Findings: findings }))).rejects.toBeInstanceOf(
      InvalidInputException,
    );
  });

  it('updates a re-imported finding in place, and filters and pages GetFindings', async () => {
    const sim = new SimulatedAccount({ maxPageSize: { GetFindings: 2 } });
    sim.enableSecurityHub(REGION);
    const hub = sim.client(SecurityHubClient, { region: REGION });
    await hub.send(
      new BatchImportFindingsCommand({ Findings: ['a', 'b', 'c', 'd'].map((t) => asff(sim, t)) }),
    );
    await hub.send(
      new BatchImportFindingsCommand({
        Findings: [asff(sim, 'b', { RecordState: 'ARCHIVED', UpdatedAt: '2026-11-29T06:00:00.000Z' })],
      }),
    );

    const active = { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' as const }] };
    const first = await hub.send(new GetFindingsCommand({ Filters: active, MaxResults: 100 }));
    const second = await hub.send(new GetFindingsCommand({ Filters: active, NextToken: first.NextToken }));

    expect(sim.securityHubFindings(REGION)).toHaveLength(4);
    expect([...(first.Findings ?? []), ...(second.Findings ?? [])].map((f) => f.Id?.split('/')[1])).toEqual([
      'a',
      'c',
      'd',
    ]);
    expect(first.NextToken).toBeDefined();
    expect(second.NextToken).toBeUndefined();
  });

  it('throttles GetFindings past 3 calls a second, as Security Hub does', async () => {
    const sim = new SimulatedAccount();
    sim.enableSecurityHub(REGION);
    const hub = sim.client(SecurityHubClient, { region: REGION, maxAttempts: 1 });

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => hub.send(new GetFindingsCommand({}))),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(sim.callCount('GetFindings', REGION, 'throttled')).toBe(2);
  });
});
