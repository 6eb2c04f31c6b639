import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FINDING_LINE_FIELDS, FINDINGS_DIRECTORY } from '../lambda/shared/reports/report-writer';

/** The Glue database and table Athena queries (fixed names: the README's queries use them as written). */
export const ATHENA_DATABASE = 'dynamodb_backup_auditor';
export const ATHENA_TABLE = 'findings';
/** The partition key, as in the object keys `findings/date=<YYYY-MM-DD>/…`. */
export const PARTITION_KEY = 'date';
export const PARTITION_DATE_FORMAT = 'yyyy-MM-dd';

/**
 * The Glue table column of each finding line field: Glue stores column names in lower case, and the
 * OpenX JSON SerDe matches JSON keys case-insensitively (its default), so `tableName` fills `tablename`.
 * Every field is a string (timestamps are ISO 8601 strings: `from_iso8601_timestamp(auditedat)`).
 */
export const FINDING_COLUMNS: glue.Column[] = FINDING_LINE_FIELDS.map((field) => ({
  name: field.toLowerCase(),
  type: glue.Schema.STRING,
}));

export interface ReportsCatalogProps {
  /** The reports bucket; the table reads `findings/` of it. */
  readonly bucket: s3.IBucket;
  /** Days reports are kept (may be a parameter token): partitions are projected over that many days. */
  readonly retentionDays: number;
}

/**
 * The Glue database and the table over `findings/` that make the history queryable with Athena, with
 * no crawler and no `MSCK REPAIR TABLE`: partition projection computes the `date` partitions (one a
 * day, over the retention period up to today) and their locations from the table's properties.
 */
export class ReportsCatalog extends Construct {
  public readonly database: glue.Database;
  public readonly table: glue.S3Table;

  constructor(scope: Construct, id: string, props: ReportsCatalogProps) {
    super(scope, id);
    this.database = new glue.Database(this, 'Database', {
      databaseName: ATHENA_DATABASE,
      description: 'DynamoDB backup auditor: audit history (rule DynamoDB-005)',
      // Metadata only: the reports stay in the bucket. Kept, the fixed name would block a redeploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const location = `s3://${props.bucket.bucketName}/${FINDINGS_DIRECTORY}/`;
    this.table = new glue.S3Table(this, 'Findings', {
      database: this.database,
      tableName: ATHENA_TABLE,
      description: 'One row per table per audit: the DynamoDB-005 finding, its account and its audit time',
      storage: glue.S3TableStorage.fromBucket(props.bucket),
      s3Prefix: `${FINDINGS_DIRECTORY}/`,
      columns: FINDING_COLUMNS,
      partitionKeys: [{ name: PARTITION_KEY, type: glue.Schema.STRING }],
      dataFormat: glue.DataFormat.JSON, // the OpenX JSON SerDe over text files
      // Server-side (SSE-KMS) encryption is transparent to Athena; this flag is for client-side only.
      hasEncryptedData: false,
      partitionProjection: {
        [PARTITION_KEY]: glue.PartitionProjectionConfiguration.date({
          min: `NOW-${Token.asString(props.retentionDays)}DAYS`,
          max: 'NOW',
          format: PARTITION_DATE_FORMAT,
          step: { interval: 1, intervalUnit: glue.DateIntervalUnit.DAYS },
        }),
      },
      parameters: {
        'storage.location.template': `${location}${PARTITION_KEY}=\${${PARTITION_KEY}}/`,
      },
    });
  }
}
