/** DynamoDB table ARNs: built from listings, and validated before remediation touches anything. */
import { isRegionName, partitionOf } from './regions';

export function tableArn(region: string, accountId: string, tableName: string): string {
  return `arn:${partitionOf(region)}:dynamodb:${region}:${accountId}:table/${tableName}`;
}

export interface TableRef {
  partition: string;
  region: string;
  accountId: string;
  tableName: string;
  tableArn: string;
}

/** DynamoDB table names: 3–255 characters of [a-zA-Z0-9_.-]. */
export const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;

const TABLE_ARN_PATTERN = /^arn:([a-z-]+):dynamodb:([^:]*):([^:]*):table\/(.*)$/;

/** Parses a table ARN; returns a reason string when it is not acceptable. */
export function parseTableArn(value: unknown): TableRef | { invalid: string } {
  if (typeof value !== 'string' || value === '') return { invalid: 'tableArn must be a non-empty string' };
  if (value.length > 1024) return { invalid: 'tableArn is longer than 1024 characters' };
  const match = TABLE_ARN_PATTERN.exec(value);
  if (!match)
    return {
      invalid: `"${value}" is not a DynamoDB table ARN (arn:<partition>:dynamodb:<region>:<account>:table/<name>)`,
    };
  const [, partition = '', region = '', accountId = '', tableName = ''] = match;
  if (!isRegionName(region)) return { invalid: `"${region}" is not a well-formed AWS region name` };
  if (partition !== partitionOf(region)) {
    return {
      invalid: `partition "${partition}" does not match region ${region} (expected ${partitionOf(region)})`,
    };
  }
  if (!/^\d{12}$/.test(accountId)) return { invalid: `"${accountId}" is not a 12-digit account id` };
  if (!TABLE_NAME_PATTERN.test(tableName)) {
    return { invalid: `table name "${tableName.slice(0, 300)}" is not 3–255 characters of [a-zA-Z0-9_.-]` };
  }
  return { partition, region, accountId, tableName, tableArn: value };
}

/** The region of an ARN when it is a well-formed region name (untrusted input yields undefined). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return isRegionName(region) ? region : undefined;
}
