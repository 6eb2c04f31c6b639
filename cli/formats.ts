/** The report in four formats. JSON is the AuditReport per region (an array), as the audit Lambda returns it. */
import { AuditReport } from '../lambda/shared/types';
import { Format } from './args';

export function filterFailing(reports: AuditReport[]): AuditReport[] {
  return reports.map((r) => ({
    ...r,
    findings: r.findings.filter((f) => f.status === 'NON_COMPLIANT' || f.status === 'ERROR'),
  }));
}

export function renderReports(reports: AuditReport[], format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(reports, null, 2)}\n`;
    case 'csv':
      return renderCsv(reports);
    case 'markdown':
      return renderMarkdown(reports);
    case 'table':
      return renderTable(reports);
  }
}

const CSV_COLUMNS = [
  'accountId',
  'region',
  'tableName',
  'status',
  'reason',
  'lastBackupAt',
  'exemptUntil',
  'tableArn',
] as const;

/**
 * Free text (the reason, which may quote an AWS error message) that starts like a spreadsheet
 * formula gets a leading `'`. Names, ARNs, ids, regions, statuses and timestamps are never altered:
 * a legal table name may start with `-`.
 */
function formulaGuard(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Quotes per RFC 4180. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function renderCsv(reports: AuditReport[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const report of reports) {
    for (const f of report.findings) {
      const record: Record<(typeof CSV_COLUMNS)[number], string> = {
        accountId: report.accountId,
        region: f.region,
        tableName: f.tableName,
        status: f.status,
        reason: formulaGuard(f.reason),
        lastBackupAt: f.lastBackupAt ?? '',
        exemptUntil: f.exemptUntil ?? '',
        tableArn: f.tableArn,
      };
      rows.push(CSV_COLUMNS.map((c) => csvCell(record[c])).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** `5 tables, 2 compliant, 2 non-compliant, 0 errors, 1 exempt` */
export function countsText(s: AuditReport['summary']): string {
  return `${s.tables} tables, ${s.compliant} compliant, ${s.nonCompliant} non-compliant, ${s.errors} errors, ${s.exempt} exempt`;
}

function summaryLine(r: AuditReport): string {
  return `${r.region} (account ${r.accountId}): ${countsText(r.summary)}`;
}

function mdCell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function renderMarkdown(reports: AuditReport[]): string {
  const lines = ['# DynamoDB-005 backup audit', ''];
  for (const r of reports) {
    lines.push(`## ${severalAccounts(reports) ? `${r.accountId} ` : ''}${r.region}`, '', summaryLine(r), '');
    if (r.findings.length === 0) {
      lines.push('_No tables to show._', '');
      continue;
    }
    lines.push('| Table | Status | Reason | Last backup | Exempt until |', '|---|---|---|---|---|');
    for (const f of r.findings) {
      lines.push(
        `| \`${mdCell(f.tableName)}\` | ${f.status} | ${mdCell(f.reason)} | ${f.lastBackupAt ?? ''} | ${f.exemptUntil ?? ''} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Reports of more than one account: the outputs name the account of each row. */
function severalAccounts(reports: AuditReport[]): boolean {
  return new Set(reports.map((r) => r.accountId)).size > 1;
}

function renderTable(reports: AuditReport[]): string {
  const several = severalAccounts(reports);
  const cells: string[][] = [
    [
      ...(several ? ['ACCOUNT'] : []),
      'REGION',
      'TABLE',
      'STATUS',
      'LAST BACKUP (UTC)',
      'EXEMPT UNTIL',
      'REASON',
    ],
    ...reports
      .flatMap((r) => r.findings.map((f) => ({ accountId: r.accountId, f })))
      .map(({ accountId, f }) => [
        ...(several ? [accountId] : []),
        f.region,
        f.tableName,
        f.status,
        f.lastBackupAt?.slice(0, 19).replace('T', ' ') ?? '-',
        f.exemptUntil ?? '-',
        f.reason,
      ]),
  ];
  const widths =
    cells[0]?.slice(0, -1).map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0))) ?? [];
  const lines = cells.map((row) =>
    row
      .map((cell, i) => (i < widths.length ? cell.padEnd(widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd(),
  );
  lines.push('', ...reports.map(summaryLine));
  return `${lines.join('\n')}\n`;
}
