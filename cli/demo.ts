/**
 * `--demo`: the whole flow against the simulated account the end-to-end tests use, so someone
 * without an AWS account sees what the tool finds, reports and sends.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RegionClients } from '../lambda/shared/audit-region';
import { DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { buildDemoAccount } from '../sim';
import { CliEnvironment } from './environment';

export function demoEnvironment(now = new Date()): CliEnvironment {
  const sim = buildDemoAccount({ now });
  const cache = new Map<string, RegionClients>();
  return {
    label: `the simulated demo account ${sim.accountId}`,
    accountId: async () => sim.accountId,
    defaultRegions: async () => [...sim.enabledRegions],
    enabledRegions: async () => [...sim.enabledRegions],
    clientsFor: (region) => {
      let clients = cache.get(region);
      if (!clients) {
        clients = {
          dynamodb: sim.client(DynamoDBClient, { region }),
          backup: sim.client(BackupClient, { region }),
        };
        cache.set(region, clients);
      }
      return clients;
    },
    rates: DEFAULT_RATE_LIMITS,
    showNotifications: true,
  };
}
