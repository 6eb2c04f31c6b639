/**
 * `--demo`: the whole flow against the simulated account the end-to-end tests use, so someone
 * without an AWS account sees what the tool finds, reports and sends.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { regionalClientFactory } from '../lambda/shared/clients';
import { DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { buildDemoAccount, SIM_CREDENTIALS } from '../sim';
import { CliEnvironment } from './environment';

export function demoEnvironment(now = new Date()): CliEnvironment {
  const sim = buildDemoAccount({ now });
  const reportRegion = sim.enabledRegions[0] ?? 'us-east-1';
  return {
    label: `the simulated demo account ${sim.accountId}`,
    accountId: async () => sim.accountId,
    defaultRegions: async () => [...sim.enabledRegions],
    enabledRegions: async () => [...sim.enabledRegions],
    // The clients sign with the simulated credentials: no AWS credentials needed on this machine.
    clientsFor: regionalClientFactory({ credentials: SIM_CREDENTIALS }, (client) => sim.attach(client)),
    // `--output-s3` writes into the simulated account: whatever bucket is named exists there.
    reportClient: (bucket) => {
      sim.addBucket(reportRegion, bucket);
      return sim.client(S3Client, { region: reportRegion });
    },
    rates: DEFAULT_RATE_LIMITS,
    showNotifications: true,
  };
}
