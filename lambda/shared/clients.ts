/**
 * SDK clients, all with one retry policy: adaptive retry, 10 attempts a call. Adaptive retry slows a
 * client down when AWS throttles it, so a busy region still finishes with correct findings, and one
 * transient error of any service (SNS, Lambda, Account included) is absorbed where it happens instead
 * of failing a whole region. Per-region clients are created once and reused across invocations.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { RegionClients } from './audit-region';

/** Attempts per call, the first included: the only retry layer of every call, CreateBackup too. */
export const MAX_ATTEMPTS = 10;
/** A connection that is not open after this long is given up (and retried). */
const CONNECTION_TIMEOUT_MS = 5_000;
/** A socket silent for this long is given up (and retried): no call may hang an audit. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  /** The CLI passes a profile's credentials; Lambda uses its role. */
  credentials?: DynamoDBClientConfig['credentials'];
  /** Attempts per call, retries included. @default MAX_ATTEMPTS */
  maxAttempts?: number;
}

/** Configuration every SDK v3 client accepts. */
export interface CommonClientConfig {
  region?: string;
  retryMode: string;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
  credentials?: DynamoDBClientConfig['credentials'];
}

/**
 * The configuration of every client of the auditor. Without a region the SDK resolves it
 * (AWS_REGION in Lambda).
 */
export function clientConfig(region?: string, options: ClientOptions = {}): CommonClientConfig {
  return {
    ...(region ? { region } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/**
 * A per-region cache of the DynamoDB, AWS Backup, tagging and Security Hub clients.
 * @param attach applied to each new client (the demo and tests attach the simulated account)
 */
export function regionalClientFactory(
  options: ClientOptions = {},
  attach: <C extends DynamoDBClient | BackupClient | ResourceGroupsTaggingAPIClient | SecurityHubClient>(
    client: C,
  ) => C = (client) => client,
): (region: string) => RegionClients {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let clients = cache.get(region);
    if (!clients) {
      const config = clientConfig(region, options);
      clients = {
        dynamodb: attach(new DynamoDBClient(config)),
        backup: attach(new BackupClient(config)),
        tagging: attach(new ResourceGroupsTaggingAPIClient(config)),
        securityhub: attach(new SecurityHubClient(config)),
      };
      cache.set(region, clients);
    }
    return clients;
  };
}
