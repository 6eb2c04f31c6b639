/**
 * Smoke test of the shipped command: `dist/cli.js`, bundled exactly as `npm install` (`prepare`)
 * bundles it, run by plain Node.js in a clean environment (no AWS credentials, profile or config).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditReport } from '../lambda/shared/types';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'dist', 'cli.js');

let home: string;

beforeAll(() => {
  execFileSync('npm', ['run', 'build:cli'], { cwd: ROOT, stdio: 'pipe' });
  home = mkdtempSync(join(tmpdir(), 'cli-bin-'));
}, 120_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

/** `node dist/cli.js <args>` with PATH and an empty HOME only: nothing AWS_* inherited. */
function bin(args: string[], nodeArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the shipped dynamodb-backup-audit command', () => {
  it('runs the demo offline: JSON reports on stdout, exit 1 for the non-compliant tables, no stack trace or SDK warning', () => {
    const run = bin(['--demo', '--format', 'json']);

    expect(run.code).toBe(1);
    const reports = JSON.parse(run.stdout) as AuditReport[];
    expect(Array.isArray(reports)).toBe(true);
    expect(reports.length).toBeGreaterThan(0);
    for (const report of reports) expect(report.findings.length).toBeGreaterThan(0);
    expect(reports.flatMap((r) => r.findings).some((f) => f.status === 'NON_COMPLIANT')).toBe(true);
    // stderr holds the summaries and the notification texts, nothing from Node.js or the SDK.
    for (const r of reports) expect(run.stderr).toContain(`${r.region}: ${r.summary.tables} tables, `);
    expect(run.stderr).not.toMatch(/^\s+at \S/m);
    expect(run.stderr).not.toMatch(/\(node:\d+\)|Warning:/);
    expect(run.stderr).not.toMatch(/@aws-sdk|@smithy|\bWARN/);
  });

  it('prints its help and exits 0', () => {
    const run = bin(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: dynamodb-backup-audit \[options\]/);
    expect(run.stderr).toBe('');
  });

  it('rejects a malformed region with one line and exit code 2', () => {
    const run = bin(['--regions', 'nope']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^dynamodb-backup-audit: --regions: [^\n]*nope[^\n]*\n$/);
    expect(run.stdout).toBe('');
  });

  describe('connection attempt timeout per address', () => {
    /** Loaded before the command; reports the timeout in force when the process ends. */
    const probe = () => {
      const file = join(home, 'probe.js');
      writeFileSync(
        file,
        "process.on('exit', () => process.stderr.write(`attempt timeout ${require('node:net').getDefaultAutoSelectFamilyAttemptTimeout()}\\n`));\n",
      );
      return file;
    };

    it('is 500 ms, as the AWS SDK recommends for cross-region calls', () => {
      const run = bin(['--help'], ['--require', probe()]);

      expect(run.code).toBe(0);
      expect(run.stderr).toBe('attempt timeout 500\n');
    });

    it('stays what the user set in NODE_OPTIONS', () => {
      const run = bin(['--help'], ['--require', probe()], {
        NODE_OPTIONS: '--network-family-autoselection-attempt-timeout=900',
      });

      expect(run.code).toBe(0);
      expect(run.stderr).toBe('attempt timeout 900\n');
    });
  });
});
