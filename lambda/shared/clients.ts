/**
 * SDK clients, created once per region and reused across invocations. Adaptive retry slows a client
 * down when AWS throttles it, so a busy region still finishes with correct findings.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { RegionClients } from './audit-region';

export interface ClientOptions {
  /** The CLI passes a profile's credentials; Lambda uses its role. */
  credentials?: DynamoDBClientConfig['credentials'];
  /** A named profile of the shared AWS config files (the CLI's --profile). */
  profile?: string;
  /** Attempts per call, retries included. @default 10 */
  maxAttempts?: number;
}

/** Configuration every SDK v3 client accepts. */
export interface CommonClientConfig {
  region: string;
  retryMode: string;
  maxAttempts: number;
  credentials?: DynamoDBClientConfig['credentials'];
  profile?: string;
}

export function clientConfig(region: string, options: ClientOptions = {}): CommonClientConfig {
  return {
    region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 10,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
}

/**
 * A per-region cache of the DynamoDB and AWS Backup clients.
 * @param attach applied to each new client (the demo and tests attach the simulated account)
 */
export function regionalClientFactory(
  options: ClientOptions = {},
  attach: <C extends DynamoDBClient | BackupClient>(client: C) => C = (client) => client,
): (region: string) => RegionClients {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let clients = cache.get(region);
    if (!clients) {
      const config = clientConfig(region, options);
      clients = { dynamodb: attach(new DynamoDBClient(config)), backup: attach(new BackupClient(config)) };
      cache.set(region, clients);
    }
    return clients;
  };
}
