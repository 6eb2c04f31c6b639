import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FINDINGS_DIRECTORY, REPORTS_DIRECTORY } from '../lambda/shared/reports/report-writer';
import { acknowledgeWildcards } from './nag';

export interface ReportsBucketProps {
  /** Days each object is kept before S3 deletes it (may be a parameter token). */
  readonly retentionDays: number;
}

/**
 * The bucket of the audit history (docs/design.md, "Reports in S3"): encrypted with its own rotating
 * KMS key (with an S3 Bucket Key, so a day's writes cost a few KMS calls), TLS 1.2 or later only, no
 * public access, no ACLs, versioning off, and every object deleted after the retention period. The
 * bucket and its key outlive the stack: the history is evidence, and stays readable.
 */
export class ReportsBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReportsBucketProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the DynamoDB backup auditor reports bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [
        {
          id: 'ExpireReports',
          expiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the audit function writes here (PutObject under findings/ and reports/, nothing else), and ' +
        'object-level access is audited with CloudTrail S3 data events where an account wants them; a ' +
        'server access log bucket would be one more bucket to encrypt, retain and itself leave unlogged.',
    });
  }

  /** `arn:…:s3:::<bucket>/<directory>/*`. */
  public objectsUnder(directory: string): string {
    return this.bucket.arnForObjects(`${directory}/*`);
  }

  /**
   * Lets a role write reports: PutObject under findings/ and reports/ only (no read, no delete, no
   * other key), and encrypt them with the bucket's key through S3 only.
   */
  public grantWriteReports(role: iam.IRole): void {
    const findings = this.objectsUnder(FINDINGS_DIRECTORY);
    const reports = this.objectsUnder(REPORTS_DIRECTORY);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteReports',
        actions: ['s3:PutObject'],
        resources: [findings, reports],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptReports',
        actions: ['kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    acknowledgeWildcards(
      role,
      {
        resource: findings,
        reason:
          'Object keys carry the audit date, account, region and time (findings/date=<day>/<account>-<region>-<time>.jsonl); ' +
          'the role may only put objects under findings/ of the reports bucket, never read or delete them.',
      },
      {
        resource: reports,
        reason:
          'Object keys carry the audit date, account, region and time (reports/date=<day>/<account>-<region>-<time>.json); ' +
          'the role may only put objects under reports/ of the reports bucket, never read or delete them.',
      },
    );
  }
}
