/**
 * The paginator the SDK lacks for DynamoDB ListBackups, built the way the SDK builds its own
 * (`createPaginator`, as for ListTables): token ExclusiveStartBackupArn → LastEvaluatedBackupArn,
 * page size `Limit` (at most 100).
 */
import {
  DynamoDBClient,
  DynamoDBPaginationConfiguration,
  ListBackupsCommand,
  ListBackupsCommandInput,
  ListBackupsCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { createPaginator } from '@smithy/core';

export const LIST_BACKUPS_PAGE_SIZE = 100;

export const paginateListBackups = createPaginator<
  DynamoDBPaginationConfiguration,
  ListBackupsCommandInput,
  ListBackupsCommandOutput
>(DynamoDBClient, ListBackupsCommand, 'ExclusiveStartBackupArn', 'LastEvaluatedBackupArn', 'Limit');
