/**
 * The stack's reports, Security Hub and dashboard parts: the reports bucket and its policy, the
 * lifecycle from ReportRetentionDays, the Glue table Athena reads (matching the JSON lines the audit
 * writes), the audit role's permissions (write reports, never read or delete them; import and read its
 * own Security Hub findings), the dashboard, the parameters and outputs.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { findingLines, reportKeys } from '../lambda/shared/reports/report-writer';
import { AuditReport } from '../lambda/shared/types';
import { DynamoDbBackupAuditorStack } from '../lib/auditor-stack';

type Json = Record<string, unknown>;

interface CfnResourceJson {
  Type: string;
  Properties: Json;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Condition?: string;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Json;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const ACCOUNT = { Ref: 'AWS::AccountId' };
const REGION = { Ref: 'AWS::Region' };
const arnJoin = (...parts: unknown[]) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]],
});

/** A report whose findings carry every optional field, as the audit writes it. */
const SAMPLE: AuditReport = {
  region: 'eu-west-1',
  accountId: '123456789012',
  startedAt: '2026-11-28T06:00:00.000Z',
  finishedAt: '2026-11-28T06:00:04.000Z',
  summary: { tables: 2, compliant: 1, nonCompliant: 0, errors: 0, exempt: 1 },
  findings: [
    {
      ruleId: 'DynamoDB-005',
      region: 'eu-west-1',
      tableName: 'orders',
      tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
      status: 'COMPLIANT',
      reason: 'Has a usable backup.',
      lastBackupAt: '2026-11-27T00:00:00.000Z',
    },
    {
      ruleId: 'DynamoDB-005',
      region: 'eu-west-1',
      tableName: 'legacy',
      tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/legacy',
      status: 'EXEMPT',
      reason: 'Exempt until 2027-01-31: migration',
      exemptUntil: '2027-01-31',
    },
  ],
  remediationRequested: 0,
};

describe('reports, Security Hub and dashboard in the stack', () => {
  let template: Template;
  let json: Json;
  let resources: Record<string, CfnResourceJson>;
  let bucketId: string;
  let reportsKeyId: string;
  let auditRoleId: string;
  let remediationRoleId: string;

  const ofType = (type: string): [string, CfnResourceJson][] =>
    Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const onlyOfType = (type: string): [string, CfnResourceJson] => {
    const found = ofType(type);
    expect(found).toHaveLength(1);
    return found[0] as [string, CfnResourceJson];
  };
  const roleOfService = (serviceName: string): string => {
    const found = ofType('AWS::Lambda::Function').find(
      ([, f]) =>
        ((f.Properties.Environment as Json).Variables as Json).POWERTOOLS_SERVICE_NAME === serviceName,
    );
    if (!found) throw new Error(`no function of ${serviceName}`);
    return (found[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  };
  const statementsOfRole = (roleId: string): Statement[] =>
    ofType('AWS::IAM::Policy')
      .filter(([, p]) =>
        list(p.Properties.Roles as unknown[]).some(
          (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
        ),
      )
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const allowed = (roleId: string, predicate: (action: string) => boolean): Statement[] =>
    statementsOfRole(roleId).filter((s) => s.Effect === 'Allow' && list(s.Action).some(predicate));
  /** Every allowed action of every identity policy in the stack. */
  const everyAllowedAction = (): string[] =>
    [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')].flatMap(([, p]) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter(
        (s) => s.Effect === 'Allow',
      ).flatMap((s) => list(s.Action)),
    );
  const bucketArn = () => ({ 'Fn::GetAtt': [bucketId, 'Arn'] });
  const objectsUnder = (directory: string) => ({ 'Fn::Join': ['', [bucketArn(), `/${directory}/*`]] });
  const glueTable = () => onlyOfType('AWS::Glue::Table')[1].Properties.TableInput as Json;

  beforeAll(() => {
    const stack = new DynamoDbBackupAuditorStack(new App(), 'Auditor');
    template = Template.fromStack(stack);
    json = template.toJSON() as Json;
    resources = json.Resources as Record<string, CfnResourceJson>;
    bucketId = onlyOfType('AWS::S3::Bucket')[0];
    const encryption = resources[bucketId]?.Properties.BucketEncryption as {
      ServerSideEncryptionConfiguration: {
        ServerSideEncryptionByDefault: { KMSMasterKeyID: { 'Fn::GetAtt': [string] } };
      }[];
    };
    reportsKeyId =
      encryption.ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault.KMSMasterKeyID[
        'Fn::GetAtt'
      ][0] ?? '';
    auditRoleId = roleOfService('dynamodb-backup-audit');
    remediationRoleId = roleOfService('dynamodb-backup-remediate');
  });

  describe('parameters', () => {
    it('offers ReportRetentionDays as a whole number of days from 1 to 3650, 400 by default', () => {
      template.hasParameter('ReportRetentionDays', {
        Type: 'Number',
        Default: 400,
        MinValue: 1,
        MaxValue: 3650,
        Description: Match.anyValue(),
        ConstraintDescription: Match.anyValue(),
      });
    });

    it('offers SecurityHubFindings as true or false, off by default', () => {
      template.hasParameter('SecurityHubFindings', {
        Type: 'String',
        Default: 'false',
        AllowedValues: ['true', 'false'],
        Description: Match.anyValue(),
      });
    });

    it('groups both as "Reports" after the audit and notification groups, with labels', () => {
      const ui = (json.Metadata as Json)['AWS::CloudFormation::Interface'] as {
        ParameterGroups: { Label: { default: string }; Parameters: string[] }[];
        ParameterLabels: Record<string, { default: string }>;
      };
      const labels = ui.ParameterGroups.map((g) => g.Label.default);
      expect(ui.ParameterGroups.find((g) => g.Label.default === 'Reports')).toEqual({
        Label: { default: 'Reports' },
        Parameters: ['ReportRetentionDays', 'SecurityHubFindings'],
      });
      expect(labels.indexOf('Reports')).toBeGreaterThan(labels.indexOf('Audit'));
      expect(labels.indexOf('Reports')).toBeGreaterThan(labels.indexOf('Notifications'));
      expect(ui.ParameterLabels.ReportRetentionDays?.default).toBeTruthy();
      expect(ui.ParameterLabels.SecurityHubFindings?.default).toBeTruthy();
    });
  });

  describe('reports bucket', () => {
    it('encrypts with its own rotating KMS key and an S3 Bucket Key', () => {
      expect(resources[reportsKeyId]).toMatchObject({
        Type: 'AWS::KMS::Key',
        Properties: { EnableKeyRotation: true },
      });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [reportsKeyId, 'Arn'] },
              },
            },
          ],
        },
      });
    });

    it('blocks all public access, disables ACLs and keeps versioning off', () => {
      const properties = resources[bucketId]?.Properties ?? {};
      expect(properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(properties.VersioningConfiguration).toBeUndefined();
    });

    it('expires every object after ReportRetentionDays', () => {
      const rules = ((resources[bucketId]?.Properties.LifecycleConfiguration as Json).Rules as Json[]) ?? [];
      const expiring = rules.filter((r) => r.ExpirationInDays !== undefined);
      expect(expiring).toEqual([
        expect.objectContaining({ ExpirationInDays: { Ref: 'ReportRetentionDays' }, Status: 'Enabled' }),
      ]);
      expect(expiring[0]?.Prefix).toBeUndefined(); // every object, not one prefix
    });

    it('refuses requests without TLS, or with TLS before 1.2, and grants nobody anything by bucket policy', () => {
      const statements = (
        onlyOfType('AWS::S3::BucketPolicy')[1].Properties.PolicyDocument as { Statement: Statement[] }
      ).Statement;
      const denyBoth = [bucketArn(), { 'Fn::Join': ['', [bucketArn(), '/*']] }];
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: denyBoth,
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      );
      expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
    });

    it('keeps the bucket and its key when the stack is deleted: the history is evidence', () => {
      for (const id of [bucketId, reportsKeyId]) {
        expect(resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    });
  });

  describe('Athena table', () => {
    it('has a column for every field of the JSON lines the audit writes, and no other', () => {
      const lineKeys = new Set(
        findingLines(SAMPLE)
          .trim()
          .split('\n')
          .flatMap((line) => Object.keys(JSON.parse(line) as object).map((key) => key.toLowerCase())),
      );
      const columns =
        ((glueTable().StorageDescriptor as Json).Columns as { Name: string; Type: string }[]) ?? [];
      expect(new Set(columns.map((c) => c.Name))).toEqual(lineKeys);
      expect(columns.every((c) => c.Type === 'string')).toBe(true);
    });

    it('reads JSON lines with the OpenX JSON SerDe from findings/ of the reports bucket', () => {
      expect(glueTable()).toMatchObject({
        Name: 'findings',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: {
          Location: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/findings/']] },
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        },
      });
      template.hasResourceProperties('AWS::Glue::Database', {
        DatabaseInput: { Name: 'dynamodb_backup_auditor' },
      });
      expect(ofType('AWS::Glue::Crawler')).toEqual([]);
    });

    it('projects one date partition a day over the retention period, at the keys the audit writes', () => {
      const table = glueTable();
      expect(table.PartitionKeys).toEqual([{ Name: 'date', Type: 'string' }]);
      const parameters = table.Parameters as Json;
      expect(parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.date.type': 'date',
        'projection.date.format': 'yyyy-MM-dd',
        'projection.date.interval': '1',
        'projection.date.interval.unit': 'DAYS',
        'projection.date.range': { 'Fn::Join': ['', ['NOW-', { Ref: 'ReportRetentionDays' }, 'DAYS,NOW']] },
      });
      // The location template, with the bucket and the date filled in, is the folder of the findings key.
      const [, parts] = (parameters['storage.location.template'] as { 'Fn::Join': [string, unknown[]] })[
        'Fn::Join'
      ];
      const template = parts.map((p) => (typeof p === 'string' ? p : 'BUCKET')).join('');
      expect(template).toBe('s3://BUCKET/findings/date=${date}/');
      const folder = template.replace('${date}', SAMPLE.finishedAt.slice(0, 10));
      const key = reportKeys(SAMPLE).findings;
      expect(`s3://BUCKET/${key}`.slice(0, folder.length)).toBe(folder);
      expect(`s3://BUCKET/${key}`.slice(folder.length)).not.toContain('/');
    });
  });

  describe('IAM', () => {
    it('lets the audit put objects under findings/ and reports/ of the bucket, and nothing else in S3', () => {
      const s3Statements = allowed(auditRoleId, (a) => a.startsWith('s3:'));
      expect(s3Statements).toHaveLength(1);
      expect(s3Statements[0]).toMatchObject({
        Action: 's3:PutObject',
        Resource: [objectsUnder('findings'), objectsUnder('reports')],
      });
    });

    it('lets the audit encrypt with the reports key through S3 only, never decrypt what it wrote', () => {
      const keyStatements = statementsOfRole(auditRoleId).filter((s) =>
        list(s.Resource).some(
          (r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [reportsKeyId, 'Arn'] }),
        ),
      );
      expect(keyStatements).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'kms:GenerateDataKey',
          Condition: {
            StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', REGION, '.amazonaws.com']] } },
          },
        }),
      ]);
    });

    it('grants no role a way to read or delete reports (only a run’s own files under runs/ are read)', () => {
      const statements = [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')].flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter(
            (s) => s.Effect === 'Allow',
          ),
      );
      const reads = statements.filter((s) =>
        list(s.Action).some((a) => /^s3:/.test(a) && a !== 's3:PutObject'),
      );
      expect(reads.length).toBeGreaterThan(0);
      for (const statement of reads) {
        for (const resource of list(statement.Resource))
          expect(JSON.stringify(resource)).toContain('/runs/*');
      }
      expect(everyAllowedAction().filter((a) => /^s3:.*delete/i.test(a))).toEqual([]);
      expect(allowed(remediationRoleId, (a) => a.startsWith('s3:') || a.startsWith('securityhub:'))).toEqual(
        [],
      );
    });

    it('lets the audit import findings for this account’s default product and read its hub, in the audited regions', () => {
      const auditedRegions = {
        StringLike: {
          'aws:RequestedRegion': {
            'Fn::If': [
              'AuditsHomeRegion',
              [REGION],
              { 'Fn::If': ['AuditsAllRegions', ['*'], { 'Fn::Split': [',', { Ref: 'AuditRegions' }] }] },
            ],
          },
        },
      };
      const securityHub = allowed(auditRoleId, (a) => a.startsWith('securityhub:'));
      expect(securityHub.map((s) => [s.Action, s.Resource, s.Condition])).toEqual([
        [
          'securityhub:BatchImportFindings',
          arnJoin(':securityhub:*:', ACCOUNT, ':product/', ACCOUNT, '/default'),
          auditedRegions,
        ],
        ['securityhub:GetFindings', arnJoin(':securityhub:*:', ACCOUNT, ':hub/default'), auditedRegions],
      ]);
    });

    it('needs no IAM change to toggle SecurityHubFindings: the parameter only reaches the function', () => {
      const references = Object.entries(resources).filter(([, r]) =>
        JSON.stringify(r).includes('"Ref":"SecurityHubFindings"'),
      );
      expect(references.map(([, r]) => r.Type)).toEqual(['AWS::Lambda::Function']);
      for (const [, policy] of ofType('AWS::IAM::Policy')) expect(policy.Condition).toBeUndefined();
    });
  });

  describe('dashboard', () => {
    const body = (): string => {
      const properties = onlyOfType('AWS::CloudWatch::Dashboard')[1].Properties;
      const [, parts] = (properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
    };

    it('is named DynamoDbBackupAuditor-<stack region>', () => {
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: { 'Fn::Join': ['', ['DynamoDbBackupAuditor-', REGION]] },
      });
    });

    it.each([['NonCompliantTables'], ['ErrorTables'], ['ExemptTables'], ['CompliantTables']])(
      'graphs %s of every audited region over time (a SEARCH over the region dimension)',
      (metricName) => {
        expect(body()).toContain(
          `SEARCH('{DynamoDbBackupAuditor,region,service} service=\\"dynamodb-backup-audit\\" MetricName=\\"${metricName}\\"', 'Maximum', 86400)`,
        );
      },
    );

    it('graphs the backups remediation created, per region', () => {
      expect(body()).toContain(
        `SEARCH('{DynamoDbBackupAuditor,region,service} service=\\"dynamodb-backup-remediate\\" MetricName=\\"BackupsCreated\\"', 'Sum', 86400)`,
      );
    });

    it('graphs the three functions’ errors and throttles and the failure queue’s depth', () => {
      const text = body();
      for (const metric of ['Errors', 'Throttles']) {
        expect(text.match(new RegExp(`\\["AWS/Lambda","${metric}","FunctionName",`, 'g'))).toHaveLength(3);
      }
      expect(text).toContain('["AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName",');
    });
  });

  describe('outputs', () => {
    it('outputs the reports bucket name and the dashboard name', () => {
      template.hasOutput('ReportBucketName', { Value: { Ref: bucketId } });
      template.hasOutput('DashboardName', { Value: { Ref: onlyOfType('AWS::CloudWatch::Dashboard')[0] } });
    });
  });
});
