/** The alert sent when an audit could not run: a region's tables could not be listed, or a member role could not be assumed. */
import { RULE_ID } from '../types';
import { RenderedMessage, toSubject } from './message';
import { fitDescription, slackText } from './slack-text';

export interface AuditFailure {
  accountId: string;
  /** The region, or `multiple`. */
  region: string;
  /** Short, for the subject: "audit of eu-west-1 failed". */
  headline: string;
  /** What happened and what to check, one paragraph a line. */
  details: string[];
}

export function renderAuditFailure(failure: AuditFailure): RenderedMessage {
  const { accountId, region, headline, details } = failure;
  return {
    subject: toSubject(`${RULE_ID}: ${headline} (${accountId})`),
    email: [`${RULE_ID} ${headline} (account ${accountId}).`, '', ...details].join('\n'),
    chatbot: {
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: `:x: ${RULE_ID}: ${headline}`,
        description: fitDescription(
          [`Account \`${accountId}\` · ${slackText(region)}`],
          details.map((detail) => slackText(detail)),
          (hidden) => `…and ${hidden} more (see the email).`,
        ),
        keywords: [RULE_ID, region],
      },
      metadata: {
        threadId: `${RULE_ID}-${accountId}-${region}`,
        eventType: `${RULE_ID} audit`,
        summary: headline,
        additionalContext: { account: accountId, region, status: 'ERROR' },
      },
    },
    attributes: { status: 'ERROR', region },
  };
}
