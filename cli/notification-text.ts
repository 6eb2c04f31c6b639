/** A notification as a person would receive it: the email, then the Slack message AWS Chatbot posts. */
import { RenderedMessage } from '../lambda/shared/notify/message';

export function formatNotification(what: string, message: RenderedMessage): string {
  const { content } = message.chatbot;
  const rule = '─'.repeat(72);
  return [
    '',
    `${rule}`,
    `Email (${what})`,
    `Subject: ${message.subject}`,
    rule,
    message.email,
    '',
    `${rule}`,
    `Slack, via AWS Chatbot (${what})`,
    rule,
    content.title,
    content.description,
    ...(content.nextSteps ?? []).map((step) => `Next: ${step}`),
    '',
  ].join('\n');
}
