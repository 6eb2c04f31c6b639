import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { backupName } from '../lambda/shared/backup-name';
import { renderAuditDigest } from '../lambda/shared/notify/audit-digest';
import { renderAuditFailure } from '../lambda/shared/notify/audit-failure';
import {
  messageBody,
  messageBytes,
  publish,
  RenderedMessage,
  SUBJECT_MAX_LENGTH,
  toSubject,
} from '../lambda/shared/notify/message';
import { renderRemediationSummary } from '../lambda/shared/notify/remediation-summary';
import { AuditReport, Finding, RemediationResult, RULE_ID, Status } from '../lambda/shared/types';

const sns = mockClient(SNSClient);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:findings`;
const FINISHED_AT = '2026-11-28T06:07:08.901Z';
/** SNS's limit on a whole publish: 256 KB. */
const SNS_MAX_BYTES = 262_144;

const arnOf = (name: string, region = REGION) => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`;
const REASONS: Record<Status, string> = {
  COMPLIANT: 'Has an AVAILABLE native backup.',
  NON_COMPLIANT: 'No backup at all: no native backup and no AWS Backup recovery point.',
  ERROR: 'ListRecoveryPointsByResource failed: AccessDeniedException: not authorized.',
  EXEMPT: 'Exempt (no end date): scratch table.',
};

function finding(tableName: string, status: Status, region = REGION): Finding {
  return {
    ruleId: RULE_ID,
    region,
    tableName,
    tableArn: arnOf(tableName, region),
    status,
    reason: REASONS[status],
  };
}

/** An AuditReport of `findings`, its summary counted from them. */
function report(findings: Finding[], overrides: Partial<AuditReport> = {}): AuditReport {
  const count = (status: Status) => findings.filter((f) => f.status === status).length;
  return {
    region: findings[0]?.region ?? REGION,
    accountId: ACCOUNT,
    startedAt: '2026-11-28T06:00:00.000Z',
    finishedAt: FINISHED_AT,
    summary: {
      tables: findings.length,
      compliant: count('COMPLIANT'),
      nonCompliant: count('NON_COMPLIANT'),
      errors: count('ERROR'),
      exempt: count('EXEMPT'),
    },
    findings,
    remediationRequested: 0,
    ...overrides,
  };
}

/** A 255-character table name, unique per `i`. */
const longName = (i: number) => `t${String(i).padStart(5, '0')}-`.padEnd(255, 'x');

function digest(findings: Finding[], autoRemediation = false, overrides: Partial<AuditReport> = {}) {
  const rendered = renderAuditDigest(report(findings, overrides), { autoRemediation });
  if (!rendered) throw new Error('expected a digest');
  return rendered;
}

/** The `Message` of the publish, parsed: `default` is the Chatbot notification, `email` the text. */
function parsedMessage(rendered: RenderedMessage) {
  const message = JSON.parse(messageBody(rendered));
  return { message, chatbot: JSON.parse(message.default), email: message.email as string };
}

function expectValidSubject(subject: string): void {
  expect(subject.length).toBeLessThan(100);
  expect(subject.length).toBeGreaterThan(0);
  // eslint-disable-next-line no-control-regex
  expect(subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
}

function expectChatbotNotification(rendered: RenderedMessage): void {
  const { message, chatbot } = parsedMessage(rendered);
  expect(message).toEqual({ default: expect.any(String), email: expect.any(String) });
  expect(chatbot).toMatchObject({
    version: '1.0',
    source: 'custom',
    content: { textType: 'client-markdown', title: expect.any(String), description: expect.any(String) },
  });
  expect(chatbot.content.title.length).toBeGreaterThan(0);
  expect(chatbot.content.description.length).toBeGreaterThan(0);
}

const emailLinesStartingWith = (email: string, prefix: string) =>
  email.split('\n').filter((line) => line.startsWith(prefix));

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
});

describe('audit digest', () => {
  it('is not sent when every table is compliant', () => {
    const all = report([finding('orders', 'COMPLIANT'), finding('payments', 'COMPLIANT')]);

    expect(renderAuditDigest(all, { autoRemediation: false })).toBeUndefined();
  });

  it('is sent when a region has a non-compliant table', () => {
    expect(
      renderAuditDigest(report([finding('orders', 'COMPLIANT'), finding('payments', 'NON_COMPLIANT')]), {
        autoRemediation: false,
      }),
    ).toBeDefined();
  });

  it('says when the exemption tags could not be read, in the email and in Slack', () => {
    const rendered = renderAuditDigest(report([finding('orders', 'NON_COMPLIANT')]), {
      autoRemediation: false,
      exemptionsUnavailable: 'AccessDeniedException: not authorized to perform tag:GetResources',
    });

    expect(rendered?.email).toContain(
      'WARNING: exemption tags could not be read (AccessDeniedException: not authorized to perform tag:GetResources); tables were evaluated without their tag exemptions.',
    );
    expect(rendered?.chatbot.content.description).toContain('exemption tags could not be read');
  });

  it('is not sent for a region whose only failing tables are exempt, and counts them', () => {
    expect(
      renderAuditDigest(report([finding('scratch', 'EXEMPT'), finding('orders', 'COMPLIANT')]), {
        autoRemediation: false,
      }),
    ).toBeUndefined();
    const rendered = digest([finding('scratch', 'EXEMPT'), finding('orders', 'NON_COMPLIANT')]);
    expect(rendered.subject).toContain('1 of 2 DynamoDB tables');
    expect(rendered.email).toContain('1 exempt');
    expect(rendered.email).not.toContain('- scratch');
  });

  it('is sent when a region has only tables that could not be evaluated', () => {
    expect(renderAuditDigest(report([finding('orders', 'ERROR')]), { autoRemediation: false })).toBeDefined();
  });

  it('has a one-line subject of fewer than 100 characters, even for a 255-character table name and a long region', () => {
    const region = 'ap-southeast-northwest-central-9';
    const rendered = digest([
      finding(longName(1), 'NON_COMPLIANT', region),
      finding(longName(2), 'ERROR', region),
    ]);

    expectValidSubject(rendered.subject);
    expect(rendered.subject).toContain(RULE_ID);
  });

  it('carries a JSON message with a Chatbot custom notification in default and plain text in email', () => {
    const rendered = digest([finding('orders', 'NON_COMPLIANT'), finding('payments', 'ERROR')]);

    expectChatbotNotification(rendered);
    const { email } = parsedMessage(rendered);
    expect(email).toBe(rendered.email);
    expect(email.trim().startsWith('{')).toBe(false);
  });

  it('names each failing table with its region and reason in the email, and no compliant one', () => {
    const rendered = digest([
      finding('orders', 'NON_COMPLIANT'),
      finding('payments', 'NON_COMPLIANT'),
      finding('ledger', 'ERROR'),
      finding('archive', 'COMPLIANT'),
    ]);

    for (const table of ['orders', 'payments', 'ledger'])
      expect(rendered.email).toContain(`${table} (${REGION})`);
    expect(rendered.email).toContain(REASONS.NON_COMPLIANT);
    expect(rendered.email).toContain(REASONS.ERROR);
    expect(rendered.email).not.toContain('archive');
  });

  it('gives the create-backup command for each non-compliant table when auto-remediation is off', () => {
    const rendered = digest([finding('orders', 'NON_COMPLIANT'), finding('payments', 'NON_COMPLIANT')]);

    for (const table of ['orders', 'payments']) {
      expect(rendered.email).toContain(
        `aws dynamodb create-backup --region ${REGION} --table-name ${table} ` +
          `--backup-name ${backupName(table, new Date(FINISHED_AT))}`,
      );
    }
    expect(rendered.email).toMatch(/auto-remediation is off/i);
  });

  it('says auto-remediation is on, with the number of tables, and gives no command when it is on', () => {
    const rendered = digest(
      [
        finding('orders', 'NON_COMPLIANT'),
        finding('payments', 'NON_COMPLIANT'),
        finding('ledger', 'COMPLIANT'),
      ],
      true,
      { remediationRequested: 2 },
    );

    expect(rendered.email).toMatch(/auto-remediation is on/i);
    expect(rendered.email).toMatch(/\b2 non-compliant tables\b/);
    expect(rendered.email).not.toContain('aws dynamodb create-backup');
  });

  it('lists tables that could not be evaluated in their own section, never with a fix command', () => {
    const rendered = digest([finding('orders', 'NON_COMPLIANT'), finding('ledger', 'ERROR')]);
    const lines = rendered.email.split('\n');
    const nonCompliantHeader = lines.findIndex((l) => l.startsWith('NON-COMPLIANT'));
    const errorHeader = lines.findIndex((l) => l.startsWith('COULD NOT BE EVALUATED'));

    expect(nonCompliantHeader).toBeGreaterThanOrEqual(0);
    expect(errorHeader).toBeGreaterThan(nonCompliantHeader);
    expect(lines.indexOf(`- ledger (${REGION})`)).toBeGreaterThan(errorHeader);
    expect(lines.indexOf(`- orders (${REGION})`)).toBeGreaterThan(nonCompliantHeader);
    expect(lines.indexOf(`- orders (${REGION})`)).toBeLessThan(errorHeader);
    expect(rendered.email).not.toMatch(/create-backup[^\n]*--table-name ledger/);
  });

  it('never gives a fix command when every failing table is an ERROR', () => {
    const rendered = digest([finding('ledger', 'ERROR'), finding('orders', 'COMPLIANT')]);

    expect(rendered.email).not.toContain('create-backup');
    expect(rendered.attributes.status).toBe('ERROR');
  });

  it.each([
    [
      'any table is non-compliant',
      [finding('orders', 'NON_COMPLIANT'), finding('ledger', 'ERROR')],
      'NON_COMPLIANT',
    ],
    ['the only failures are errors', [finding('ledger', 'ERROR'), finding('orders', 'COMPLIANT')], 'ERROR'],
  ])('has status and region attributes (status when %s)', (_when, findings, status) => {
    expect(digest(findings).attributes).toEqual({ status, region: REGION });
  });

  it('stays within 256 KB for 5,000 failing tables with 255-character names, and counts those it leaves out', () => {
    const findings = Array.from({ length: 5000 }, (_, i) =>
      finding(longName(i), i % 10 === 9 ? 'ERROR' : 'NON_COMPLIANT'),
    );

    const rendered = digest(findings);

    expect(messageBytes(rendered)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(Buffer.byteLength(messageBody(rendered))).toBeLessThanOrEqual(SNS_MAX_BYTES);
    const listed = emailLinesStartingWith(rendered.email, '- ').length;
    const more = /\.\.\. and (\d+) more/.exec(rendered.email);
    expect(more).not.toBeNull();
    expect(listed).toBeGreaterThan(0);
    expect(listed + Number(more?.[1])).toBe(findings.length);
    expectValidSubject(rendered.subject);
    expectChatbotNotification(rendered);
  });

  it('lists every failing table, without a "more" line, when they all fit', () => {
    const findings = Array.from({ length: 50 }, (_, i) => finding(longName(i), 'NON_COMPLIANT'));

    const rendered = digest(findings);

    expect(emailLinesStartingWith(rendered.email, '- ')).toHaveLength(findings.length);
    expect(rendered.email).not.toMatch(/\.\.\. and \d+ more/);
  });

  it('is published with MessageStructure json, the subject and the attributes', async () => {
    const rendered = digest([finding('orders', 'NON_COMPLIANT')]);

    const id = await publish(new SNSClient({ region: REGION }), TOPIC, rendered);

    expect(id).toBe('message-1');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: rendered.subject,
      MessageStructure: 'json',
      Message: messageBody(rendered),
      MessageAttributes: {
        status: { DataType: 'String', StringValue: 'NON_COMPLIANT' },
        region: { DataType: 'String', StringValue: REGION },
      },
    });
  });
});

describe('remediation summary', () => {
  const results: RemediationResult[] = [
    {
      tableArn: arnOf('orders'),
      status: 'CREATED',
      backupName: 'orders-autobackup-20261128T060708Z',
      backupArn: `${arnOf('orders')}/backup/01`,
    },
    { tableArn: arnOf('payments'), status: 'CREATED', backupName: 'payments-autobackup-20261128T060708Z' },
    { tableArn: arnOf('creating'), status: 'SKIPPED', reason: 'table is CREATING, not ACTIVE' },
    { tableArn: arnOf('broken'), status: 'FAILED', reason: 'CreateBackup failed: boom' },
    { tableArn: 'not-an-arn', status: 'REJECTED', reason: '"not-an-arn" is not a DynamoDB table ARN' },
  ];

  it('counts the created, skipped, failed and rejected tables', () => {
    const rendered = renderRemediationSummary(results, ACCOUNT);
    const count = (status: string) => results.filter((r) => r.status === status).length;

    for (const status of ['CREATED', 'SKIPPED', 'FAILED', 'REJECTED'])
      expect(rendered.email).toContain(`${count(status)} ${status.toLowerCase()}`);
    expect(rendered.email).toContain(ACCOUNT);
  });

  it('lists every result with its table, backup name and reason', () => {
    const rendered = renderRemediationSummary(results, ACCOUNT);

    for (const result of results) {
      const line = emailLinesStartingWith(rendered.email, `${result.status} ${result.tableArn}`);
      expect(line).toHaveLength(1);
      if (result.backupName) expect(line[0]).toContain(result.backupName);
      if (result.reason) expect(line[0]).toContain(result.reason);
    }
  });

  it('is a valid notification: short one-line subject, Chatbot default, plain email', () => {
    const rendered = renderRemediationSummary(results, ACCOUNT);

    expectValidSubject(rendered.subject);
    expectChatbotNotification(rendered);
  });

  it('is flagged as failed when any table failed or was rejected', () => {
    expect(renderRemediationSummary(results, ACCOUNT).attributes.status).toBe('REMEDIATION_FAILED');
  });

  it('is flagged as remediated, with its region, when every backup was created or skipped', () => {
    const fine = results.filter((r) => r.status === 'CREATED' || r.status === 'SKIPPED');

    expect(renderRemediationSummary(fine, ACCOUNT).attributes).toEqual({
      status: 'REMEDIATED',
      region: REGION,
    });
  });

  it('says "multiple" in the region attribute when the tables span regions', () => {
    const rendered = renderRemediationSummary(
      [
        { tableArn: arnOf('orders', 'us-east-1'), status: 'CREATED', backupName: 'b1' },
        { tableArn: arnOf('orders', 'eu-west-1'), status: 'CREATED', backupName: 'b2' },
      ],
      ACCOUNT,
    );

    expect(rendered.attributes.region).toBe('multiple');
  });

  it('stays within 256 KB for 5,000 results of 255-character tables, and counts those it leaves out', () => {
    const many: RemediationResult[] = Array.from({ length: 5000 }, (_, i) => ({
      tableArn: arnOf(longName(i)),
      status: 'CREATED',
      backupName: backupName(longName(i), new Date(FINISHED_AT)),
    }));

    const rendered = renderRemediationSummary(many, ACCOUNT);

    expect(messageBytes(rendered)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    const listed = emailLinesStartingWith(rendered.email, 'CREATED ').length;
    const more = /\.\.\. and (\d+) more/.exec(rendered.email);
    expect(more).not.toBeNull();
    expect(listed + Number(more?.[1])).toBe(many.length);
    expectValidSubject(rendered.subject);
  });
});

describe('audit failure alert', () => {
  const failure = {
    accountId: ACCOUNT,
    region: REGION,
    headline: `audit of ${REGION} failed`,
    details: ['ListTables failed: AccessDeniedException: not authorized.', 'Check the audit role.'],
  };

  it('is a valid notification: short one-line subject, Chatbot default, plain email', () => {
    const rendered = renderAuditFailure(failure);

    expectValidSubject(rendered.subject);
    expect(rendered.subject).toContain(failure.headline);
    expectChatbotNotification(rendered);
  });

  it('tells what failed and what to check in the email and in Slack', () => {
    const rendered = renderAuditFailure(failure);
    const { chatbot } = parsedMessage(rendered);

    for (const detail of failure.details) {
      expect(rendered.email).toContain(detail);
      expect(chatbot.content.description).toContain(detail);
    }
    expect(rendered.email).toContain(ACCOUNT);
  });

  it('has status ERROR and the region as attributes', () => {
    expect(renderAuditFailure(failure).attributes).toEqual({ status: 'ERROR', region: REGION });
  });

  it('keeps the subject one short line even for a long, multi-line headline', () => {
    const rendered = renderAuditFailure({ ...failure, headline: `audit failed:\n${'x'.repeat(300)}\r\nend` });

    expectValidSubject(rendered.subject);
  });
});

describe('toSubject', () => {
  it('keeps a short one-line text as it is', () => {
    expect(toSubject('DynamoDB-005: 2 of 3 tables without a usable backup')).toBe(
      'DynamoDB-005: 2 of 3 tables without a usable backup',
    );
  });

  it('turns line breaks and tabs into single spaces', () => {
    expect(toSubject('one\ntwo\r\nthree\tfour')).toBe('one two three four');
  });

  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
    ['LINE SEPARATOR', '\u2028'],
    ['PARAGRAPH SEPARATOR', '\u2029'],
    ['NEXT LINE (C1)', '\u0085'],
    ['C1 control CSI', '\u009b'],
  ])('removes the control character %s', (_name, character) => {
    const subject = toSubject(`before${character}after`);

    expectValidSubject(subject);
    expect(subject).toContain('before');
    expect(subject).toContain('after');
  });

  it(`cuts a long text to ${SUBJECT_MAX_LENGTH} characters`, () => {
    const subject = toSubject('x'.repeat(500));

    expect(SUBJECT_MAX_LENGTH).toBeLessThan(100);
    expect(subject).toHaveLength(SUBJECT_MAX_LENGTH);
    expect(subject.startsWith('x'.repeat(SUBJECT_MAX_LENGTH - 1))).toBe(true);
  });

  it('never cuts a character in half (a lone UTF-16 surrogate is not valid UTF-8)', () => {
    const subject = toSubject(`${'x'.repeat(SUBJECT_MAX_LENGTH - 2)}\u{1F4BE} backups`);

    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(Buffer.from(subject, 'utf8').toString('utf8')).toBe(subject);
  });

  it('keeps a text of exactly 99 characters whole', () => {
    const text = 'y'.repeat(99);

    expect(toSubject(text)).toBe(text);
  });
});
