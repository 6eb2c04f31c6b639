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
  /** Attempts per call, retries included. @default 10 */
  maxAttempts?: number;
}

export function clientConfig(region: string, options: ClientOptions = {}): DynamoDBClientConfig {
  return {
    region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 10,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

/** A per-region cache of the DynamoDB and AWS Backup clients. */
export function regionalClientFactory(options: ClientOptions = {}): (region: string) => RegionClients {
  const cache = new Map<string, RegionClients>();
  return (region) => {
    let clients = cache.get(region);
    if (!clients) {
      const config = clientConfig(region, options);
      clients = { dynamodb: new DynamoDBClient(config), backup: new BackupClient(config) };
      cache.set(region, clients);
    }
    return clients;
  };
}
