import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
/**
 * The time budget holds: at the deadline the calls in flight are cancelled (real SDK v3 clients whose
 * HTTP handler never answers, so only the abort signal can end them), no new work starts, and a
 * listing that already completed is never reported as cut short.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { HttpResponse } from '@smithy/core/protocols';
import type { HttpHandlerOptions } from '@smithy/types';
import { Readable } from 'node:stream';
import { collectFindings } from '../lambda/shared/audit-region';
import { createBudget, NOT_AUDITED_REASON } from '../lambda/shared/budget';
import { clientConfig } from '../lambda/shared/clients';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';

const REGION = 'eu-west-1';

/**
 * An HTTP handler that answers the DynamoDB operations given in `answers` (awsJson bodies) and never
 * answers anything else: such a call ends only when its abort signal fires.
 */
function hangingHandler(answers: Record<string, object> = {}) {
  const started: string[] = [];
  return {
    started,
    handler: {
      handle: async (request: { headers: Record<string, string> }, options?: HttpHandlerOptions) => {
        const target = request.headers['x-amz-target'] ?? request.headers['host'] ?? '?';
        started.push(target);
        const answer = answers[target.replace(/^DynamoDB_20120810\./, '')];
        if (answer) {
          return {
            response: new HttpResponse({
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.0' },
              body: Readable.from([Buffer.from(JSON.stringify(answer))]),
            }),
          };
        }
        return new Promise<never>((_, reject) => {
          const abort = () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
          const signal = options?.abortSignal as AbortSignal | undefined;
          if (signal?.aborted) abort();
          else signal?.addEventListener('abort', abort);
        });
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
      metadata: { handlerProtocol: 'http/1.1' },
    },
  };
}

describe('the time budget', () => {
  it('aborts at the deadline', async () => {
    const started = Date.now();
    const budget = createBudget(() => 1_080 - (Date.now() - started), 1_000);

    expect(budget.exhausted()).toBe(false);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!budget.signal.aborted) return;
        clearInterval(poll);
        resolve();
      }, 5);
    });

    expect(budget.exhausted()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    budget.dispose();
  });

  it('cancels the calls in flight at the deadline, and reports the region as not audited', async () => {
    const http = hangingHandler();
    const config = { ...clientConfig(REGION), requestHandler: http.handler };
    const clients = {
      dynamodb: new DynamoDBClient(config),
      backup: new BackupClient(config),
      tagging: new ResourceGroupsTaggingAPIClient(config),
      securityhub: new SecurityHubClient(config),
    };
    const started = Date.now();
    // 200 ms before the deadline: both listings are in flight, and nothing will ever answer them.
    const budget = createBudget(() => 60_200 - (Date.now() - started), 60_000);

    const result = await collectFindings(clients, {
      region: REGION,
      accountId: '123456789012',
      rates: UNLIMITED_RATES,
      budget,
    });
    budget.dispose();

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(http.started.sort()).toEqual([
      'DynamoDB_20120810.ListBackups',
      'DynamoDB_20120810.ListTables',
      'ResourceGroupsTaggingAPI_20170126.GetResources',
    ]);
    expect(result.tableListComplete).toBe(false);
    expect(result.findings).toEqual([]);
  });

  it('cancels a hanging AWS Backup look-up: its table is not audited, the listed ones are judged', async () => {
    const http = hangingHandler({
      ListTables: { TableNames: ['orders', 'payments', 'sessions'] },
      ListBackups: {
        BackupSummaries: [
          { TableName: 'orders', BackupStatus: 'AVAILABLE', BackupCreationDateTime: 1_764_000_000 },
        ],
      },
    });
    const config = { ...clientConfig(REGION), requestHandler: http.handler };
    const clients = {
      dynamodb: new DynamoDBClient(config),
      backup: new BackupClient(config),
      tagging: new ResourceGroupsTaggingAPIClient(config),
      securityhub: new SecurityHubClient(config),
    };
    const started = Date.now();
    const budget = createBudget(() => 60_300 - (Date.now() - started), 60_000);

    const result = await collectFindings(clients, {
      region: REGION,
      accountId: '123456789012',
      rates: UNLIMITED_RATES,
      budget,
    });
    budget.dispose();

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.findings.map((f) => [f.tableName, f.status, f.reason.slice(0, 20)])).toEqual([
      ['orders', 'COMPLIANT', 'Has 1 usable backup '],
      ['payments', 'ERROR', NOT_AUDITED_REASON.slice(0, 20)],
      ['sessions', 'ERROR', NOT_AUDITED_REASON.slice(0, 20)],
    ]);
    // The native listing finished on its last page: nothing about it is "incomplete".
    expect(result.findings[0]?.reason).not.toMatch(/could not/);
  });
});
