/**
 * `--profile` as a user runs it: the real CLI in a child process, the real SDK credential and region
 * resolution, shared config files in a temporary directory, and a local HTTP endpoint
 * (AWS_ENDPOINT_URL) standing in for AWS so the run is offline and every request is seen.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

let dir: string;
let server: Server;
let endpoint: string;
let requests: { headers: IncomingHttpHeaders; body: string }[];

/**
 * A minimal AWS: GetCallerIdentity answers account 123456789012, and the account has no tables;
 * requests signed with the key of the profile `revoked` are refused as STS refuses an unknown key.
 */
function answer(headers: IncomingHttpHeaders, body: string): { status: number; type: string; body: string } {
  if (signedWith(headers).accessKeyId === 'AKIDREVOKED') {
    return {
      status: 403,
      type: 'text/xml',
      body:
        '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>' +
        '<Message>The security token included in the request is invalid.</Message></Error>' +
        '<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>',
    };
  }
  if (body.includes('Action=GetCallerIdentity')) {
    return {
      status: 200,
      type: 'text/xml',
      body:
        '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>' +
        '<Arn>arn:aws:iam::123456789012:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId>' +
        '</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>' +
        '</GetCallerIdentityResponse>',
    };
  }
  const target = headers['x-amz-target'];
  if (target === 'DynamoDB_20120810.ListTables') {
    return { status: 200, type: 'application/x-amz-json-1.0', body: '{"TableNames":[]}' };
  }
  if (target === 'DynamoDB_20120810.ListBackups') {
    return { status: 200, type: 'application/x-amz-json-1.0', body: '{"BackupSummaries":[]}' };
  }
  if (target === 'ResourceGroupsTaggingAPI_20170126.GetResources') {
    return { status: 200, type: 'application/x-amz-json-1.1', body: '{"ResourceTagMappingList":[]}' };
  }
  return { status: 400, type: 'application/json', body: '{"message":"not simulated"}' };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-profile-'));
  writeFileSync(
    join(dir, 'config'),
    [
      '[default]',
      'region = sa-east-1',
      '[profile audit]',
      'region = eu-north-1',
      '[profile no-region]',
      '[profile revoked]',
      'region = eu-west-3',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'credentials'),
    [
      '[audit]',
      'aws_access_key_id = AKIDFROMPROFILE',
      'aws_secret_access_key = profile-secret',
      '[no-region]',
      'aws_access_key_id = AKIDNOREGION',
      'aws_secret_access_key = no-region-secret',
      '[revoked]',
      'aws_access_key_id = AKIDREVOKED',
      'aws_secret_access_key = revoked-secret',
      '[other]',
      'aws_access_key_id = AKIDOTHERPROFILE',
      'aws_secret_access_key = other-secret',
      '',
    ].join('\n'),
  );
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      const reply = answer(req.headers, body);
      res.writeHead(reply.status, { 'content-type': reply.type });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run audit -- <args>` with only the given AWS settings in its environment. */
function runCli(args: string[], aws: Record<string, string>): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...aws,
  };
  return new Promise((resolve) => {
    execFile(TSX, ['cli/main.ts', ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The access key id and region a request was signed with (SigV4 credential scope). */
function signedWith({ authorization }: IncomingHttpHeaders): { accessKeyId?: string; region?: string } {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(authorization ?? '');
  return { accessKeyId: match?.[1], region: match?.[2] };
}

const ENV_KEYS = { AWS_ACCESS_KEY_ID: 'AKIDFROMENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'env-secret' };
const signatures = () => requests.map((r) => signedWith(r.headers));

describe('CLI --profile', () => {
  it.each([
    ['access keys', ENV_KEYS],
    ['access keys and another AWS_PROFILE', { ...ENV_KEYS, AWS_PROFILE: 'other' }],
  ])(
    'audits with the profile and its region even when the environment also has %s, without an SDK warning',
    async (_, aws) => {
      const run = await runCli(['--profile', 'audit', '--format', 'json'], {
        ...aws,
        AWS_REGION: 'us-east-1',
      });

      expect(run.stderr).toBe('eu-north-1: 0 tables, 0 compliant, 0 non-compliant, 0 errors, 0 exempt\n');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject([{ region: 'eu-north-1', accountId: '123456789012' }]);
      // STS and DynamoDB alike: the profile's key, in the profile's region (not AWS_REGION's).
      expect(requests.length).toBeGreaterThanOrEqual(2);
      expect(signatures()).toEqual(
        requests.map(() => ({ accessKeyId: 'AKIDFROMPROFILE', region: 'eu-north-1' })),
      );
    },
  );

  it('prints one line and exits 2 when AWS refuses the profile, with no SDK warning', async () => {
    const run = await runCli(['--profile', 'revoked'], { ...ENV_KEYS, AWS_PROFILE: 'other' });

    expect(run.stderr).toBe(
      'dynamodb-backup-audit: Could not use profile "revoked": The security token included in the request is invalid.\n',
    );
    expect(run.code).toBe(2);
    expect(signatures()).toEqual([{ accessKeyId: 'AKIDREVOKED', region: 'eu-west-3' }]);
  });

  it('falls back to AWS_REGION when the profile sets no region', async () => {
    const run = await runCli(['--profile', 'no-region'], { ...ENV_KEYS, AWS_REGION: 'ap-southeast-2' });

    expect(run.stderr).toBe('ap-southeast-2: 0 tables, 0 compliant, 0 non-compliant, 0 errors, 0 exempt\n');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject([{ region: 'ap-southeast-2' }]);
    expect(signatures()).toEqual(
      requests.map(() => ({ accessKeyId: 'AKIDNOREGION', region: 'ap-southeast-2' })),
    );
  });

  it('rejects an unknown profile with one line and exit code 2, before any AWS call', async () => {
    const run = await runCli(['--profile', 'x'], { ...ENV_KEYS, AWS_REGION: 'us-east-1' });

    expect(run.stderr).toMatch(/^dynamodb-backup-audit: [^\n]*profile "x"[^\n]*\n$/);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(requests).toHaveLength(0);
  });

  it("without --profile, keeps the SDK's own choice: environment keys, AWS_REGION before the default profile's region", async () => {
    const run = await runCli([], { ...ENV_KEYS, AWS_REGION: 'ca-central-1' });

    expect(run.stderr).toBe('ca-central-1: 0 tables, 0 compliant, 0 non-compliant, 0 errors, 0 exempt\n');
    expect(run.code).toBe(0);
    expect(signatures()).toEqual(
      requests.map(() => ({ accessKeyId: 'AKIDFROMENVIRONMENT', region: 'ca-central-1' })),
    );
  });
});
