/**
 * The local auditor: the same core as the audit Lambda (collectFindings, the rule, the remediation
 * core), driven from a terminal or a CI job. Returns the process exit code.
 */
import { parseTableArn } from '../lambda/shared/arn';
import { compactTimestamp } from '../lambda/shared/backup-name';
import { sessionNameFor } from '../lambda/shared/org/member-credentials';
import { partitionOf } from '../lambda/shared/regions';
import { buildReport, collectFindings } from '../lambda/shared/audit-region';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { createPacer } from '../lambda/shared/pacing';
import { describeError } from '../lambda/shared/errors';
import { renderAuditDigest } from '../lambda/shared/notify/audit-digest';
import { renderRemediationSummary } from '../lambda/shared/notify/remediation-summary';
import { ReportLocation, s3Uri } from '../lambda/shared/reports/location';
import { writeReport } from '../lambda/shared/reports/report-writer';
import { AuditReport, RemediationResult } from '../lambda/shared/types';
import { CliOptions, FailOn, parseCliArgs, USAGE, UsageError } from './args';
import { CliEnvironment, CredentialError } from './environment';
import { countsText, filterFailing, renderReports } from './formats';
import { formatNotification } from './notification-text';
import { progressFor, Writable } from './progress';
import { remediateFromCli } from './remediation';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  ask(question: string): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  now(): Date;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Regions audited at once; each region paces its own calls. */
const REGION_CONCURRENCY = 4;

export async function runCli(
  argv: string[],
  io: CliIo,
  environmentFor: (options: CliOptions) => CliEnvironment,
): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCliArgs(argv);
    if (options.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    return await audit(options, io, environmentFor(options));
  } catch (error) {
    const usage = error instanceof UsageError;
    const message =
      usage || error instanceof CredentialError ? error.message : `Unexpected error: ${describeError(error)}`;
    io.stderr.write(`dynamodb-backup-audit: ${message}${usage ? ' (see --help)' : ''}\n`);
    if (options?.verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_USAGE;
  }
}

async function audit(options: CliOptions, io: CliIo, env: CliEnvironment): Promise<number> {
  const accountId = await env.accountId();
  const regions = await resolveRegions(options, env);
  const accounts = await resolveAccounts(options, env, accountId);
  const several = accounts.length > 1;
  const [firstRegion = 'us-east-1'] = regions;
  const members = accounts.some((a) => a !== accountId)
    ? env.memberAccounts({
        homeAccountId: accountId,
        partition: partitionOf(firstRegion),
        roleName: options.roleName,
        sessionName: sessionNameFor(`cli-${compactTimestamp(io.now())}`),
        stsRegion: firstRegion,
      })
    : undefined;
  const clientsOf = (account: string, region: string) =>
    account === accountId || !members ? env.clientsFor(region) : members.clientsFor(account, region);

  const failedRegions: string[] = [];
  const reports: AuditReport[] = [];
  /** Why a region's exemption tags could not be read (its tables were evaluated without them). */
  const exemptionsUnavailable = new Map<string, string>();
  const slots = createPacer(Infinity, REGION_CONCURRENCY);

  // Other accounts first: one AssumeRole each; an account whose role cannot be assumed is skipped.
  const reachable = new Set<string>([accountId]);
  await Promise.all(
    accounts
      .filter((a) => a !== accountId)
      .map((account) =>
        slots.run(async () => {
          try {
            await members?.access(account);
            reachable.add(account);
          } catch (error) {
            failedRegions.push(...regions.map((r) => `${account} ${r}`));
            io.stderr.write(`${account}: account not audited: ${describeError(error)}\n`);
          }
        }),
      ),
  );

  const where = (account: string, region: string) => (several ? `${account} ${region}` : region);
  await Promise.all(
    accounts
      .filter((account) => reachable.has(account))
      .flatMap((account) => regions.map((region) => ({ account, region })))
      .map(({ account, region }) =>
        slots.run(async () => {
          const startedAt = io.now();
          try {
            const progress = progressFor(io.stderr, where(account, region));
            const collected = await collectFindings(clientsOf(account, region), {
              region,
              accountId: account,
              rates: env.rates,
              budget: UNLIMITED_BUDGET,
              policy: options.policy,
              now: startedAt,
              ...(progress ? { onProgress: progress } : {}),
            });
            const { findings } = collected;
            if (collected.exemptionsUnavailable) {
              exemptionsUnavailable.set(`${account}|${region}`, collected.exemptionsUnavailable);
              io.stderr.write(
                `${where(account, region)}: warning: exemption tags could not be read (${collected.exemptionsUnavailable}); tables were evaluated without them\n`,
              );
            }
            reports.push(
              buildReport({ region, accountId: account, startedAt, finishedAt: io.now() }, findings, 0),
            );
          } catch (error) {
            failedRegions.push(where(account, region));
            io.stderr.write(
              `${where(account, region)}: audit failed, its tables could not be listed: ${describeError(error)}\n`,
            );
            if (options.verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
          }
        }),
      ),
  );
  reports.sort(
    (a, b) =>
      accounts.indexOf(a.accountId) - accounts.indexOf(b.accountId) ||
      regions.indexOf(a.region) - regions.indexOf(b.region),
  );

  const shown = options.onlyFailing ? filterFailing(reports) : reports;
  const format = options.format ?? (!options.output && io.stdout.isTTY ? 'table' : 'json');
  const rendered = renderReports(shown, format);
  if (options.output) await io.writeFile(options.output, rendered);
  else io.stdout.write(rendered);

  // The table and Markdown formats end with these lines already when they go to the terminal.
  const summarized = !options.output && (format === 'table' || format === 'markdown');
  for (const r of summarized ? [] : reports)
    io.stderr.write(`${where(r.accountId, r.region)}: ${countsText(r.summary)}\n`);

  const reportsWritten = options.outputS3 ? await writeReports(options.outputS3, reports, env, io) : true;

  // The demo shows what people would receive; machine-readable stdout stays clean.
  const notifications = format === 'json' || format === 'csv' || options.output ? io.stderr : io.stdout;
  if (env.showNotifications) {
    for (const report of reports) {
      const unavailable = exemptionsUnavailable.get(`${report.accountId}|${report.region}`);
      const digest = renderAuditDigest(report, {
        autoRemediation: options.remediate,
        policy: options.policy,
        ...(unavailable ? { exemptionsUnavailable: unavailable } : {}),
      });
      if (digest)
        notifications.write(
          formatNotification(`digest for ${where(report.accountId, report.region)}`, digest),
        );
    }
  }

  let remediationFailed = false;
  if (options.remediate) {
    const outcome = await remediateFromCli(
      { dynamodbFor: (region, account) => clientsOf(account, region).dynamodb, rates: env.rates },
      { stderr: io.stderr, interactive: io.stdinIsTTY && Boolean(io.stderr.isTTY), ask: io.ask },
      reports,
      options.yes,
      io.now(),
    );
    switch (outcome.kind) {
      case 'nothingToDo':
        io.stderr.write('Nothing to remediate: no NON_COMPLIANT table.\n');
        break;
      case 'declined':
        io.stderr.write('No backup created.\n');
        break;
      case 'refused':
        io.stderr.write(`dynamodb-backup-audit: ${outcome.message}\n`);
        return EXIT_USAGE;
      case 'done':
        for (const r of outcome.results) {
          io.stderr.write(
            `${r.status.padEnd(8)} ${r.tableArn}${r.backupName ? ` -> ${r.backupName}` : ''}${r.reason ? ` (${r.reason})` : ''}\n`,
          );
        }
        for (const r of outcome.results.filter(notCreated)) io.stderr.write(`${remediationFailure(r)}\n`);
        remediationFailed = outcome.results.some(notCreated);
        if (env.showNotifications) {
          notifications.write(
            formatNotification('remediation summary', renderRemediationSummary(outcome.results, accountId)),
          );
        }
        break;
    }
  }
  // A backup the user asked for and did not get, or a report that could not be written, fails the
  // run, whatever --fail-on says.
  return remediationFailed || !reportsWritten
    ? EXIT_FINDINGS
    : exitCode(reports, failedRegions.length > 0, options.failOn);
}

/**
 * `--output-s3`: each region's report in the stack's layout under the prefix. Stops at the first
 * failure, told in one line; returns whether every report was written.
 */
async function writeReports(
  location: ReportLocation,
  reports: AuditReport[],
  env: CliEnvironment,
  io: CliIo,
): Promise<boolean> {
  const s3 = env.reportClient(location.bucket);
  for (const [index, report] of reports.entries()) {
    const result = await writeReport(s3, location, report);
    if (!result.written) {
      io.stderr.write(
        `dynamodb-backup-audit: ${report.region}: report not written (${index} of ${reports.length} written): ${result.error}\n`,
      );
      return false;
    }
  }
  if (reports.length > 0) {
    io.stderr.write(
      `${reports.length} ${reports.length === 1 ? 'report' : 'reports'} written under ${s3Uri(location)}\n`,
    );
  }
  return true;
}

/** FAILED (AWS refused or erred) or REJECTED (not a table this run may back up): no backup made. */
const notCreated = (r: RemediationResult): boolean => r.status === 'FAILED' || r.status === 'REJECTED';

function remediationFailure(r: RemediationResult): string {
  const table = parseTableArn(r.tableArn);
  const where = 'invalid' in table ? r.tableArn : `${table.tableName} in ${table.region}`;
  return `remediation ${r.status} for table ${where}: ${r.reason ?? 'no reason given'}`;
}

/** Your account, the `--accounts` list, or the organization's ACTIVE accounts; yours first. */
async function resolveAccounts(options: CliOptions, env: CliEnvironment, home: string): Promise<string[]> {
  if (options.accounts === undefined) return [home];
  const listed = options.accounts === 'organization' ? await env.organizationAccounts() : options.accounts;
  return [...new Set([...(listed.includes(home) ? [home] : []), ...listed])];
}

async function resolveRegions(options: CliOptions, env: CliEnvironment): Promise<string[]> {
  if (options.regions === 'all') return env.enabledRegions();
  if (options.regions) return options.regions;
  const regions = await env.defaultRegions();
  if (regions.length === 0) {
    throw new UsageError(
      'No region configured: pass --regions, set AWS_REGION, or set a region in your profile',
    );
  }
  return regions;
}

/** 1 when a finding reaches the --fail-on level (ERROR ranks above NON_COMPLIANT). */
export function exitCode(reports: AuditReport[], regionFailed: boolean, failOn: FailOn): number {
  if (failOn === 'never') return EXIT_OK;
  const findings = reports.flatMap((r) => r.findings);
  const errors = regionFailed || findings.some((f) => f.status === 'ERROR');
  const nonCompliant = findings.some((f) => f.status === 'NON_COMPLIANT');
  if (errors || (failOn === 'non-compliant' && nonCompliant)) return EXIT_FINDINGS;
  return EXIT_OK;
}
