/**
 * An SNS message with one text for email and an AWS Chatbot custom notification for Slack, kept
 * inside SNS's limits: subject fewer than 100 characters on one line, message at most 256 KB.
 */
import { MessageAttributeValue, PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/** SNS counts the message, subject and attributes against 262,144 bytes; keep a margin. */
export const MESSAGE_BYTE_BUDGET = 250_000;
export const SUBJECT_MAX_LENGTH = 99;

export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata?: {
    threadId?: string;
    summary?: string;
    eventType?: string;
    relatedResources?: string[];
    additionalContext?: Record<string, string>;
  };
}

export interface RenderedMessage {
  subject: string;
  email: string;
  chatbot: ChatbotNotification;
  attributes: Record<string, string>;
}

/** The `Message` of a `MessageStructure: "json"` publish. */
export function messageBody(rendered: RenderedMessage): string {
  return JSON.stringify({ default: JSON.stringify(rendered.chatbot), email: rendered.email });
}

export function messageBytes(rendered: RenderedMessage): number {
  const attributes = Object.entries(rendered.attributes).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v) + 'String'.length,
    0,
  );
  return Buffer.byteLength(messageBody(rendered)) + Buffer.byteLength(rendered.subject) + attributes;
}

/** One line, no control characters, fewer than 100 characters. */
export function toSubject(text: string): string {
  const line = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line.length <= SUBJECT_MAX_LENGTH) return line;
  let cut = '';
  for (const character of line) {
    // whole code points only, and at most 99 UTF-16 units with the ellipsis
    if (cut.length + character.length > SUBJECT_MAX_LENGTH - 1) break;
    cut += character;
  }
  return `${cut}…`;
}

/**
 * Renders with as many items as fit: `render(n)` must show the first n items; returns the largest
 * rendering within the byte budget.
 */
export function fitToBudget(total: number, render: (shown: number) => RenderedMessage): RenderedMessage {
  return render(largestFitting(total, render));
}

/** The largest n ≤ total whose rendering fits the byte budget (binary search, since size grows with n). */
export function largestFitting(total: number, render: (n: number) => RenderedMessage): number {
  if (messageBytes(render(total)) <= MESSAGE_BYTE_BUDGET) return total;
  let low = 0;
  let high = total;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (messageBytes(render(mid)) <= MESSAGE_BYTE_BUDGET) low = mid;
    else high = mid - 1;
  }
  return low;
}

export async function publish(sns: SNSClient, topicArn: string, rendered: RenderedMessage): Promise<string> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [key, value] of Object.entries(rendered.attributes)) {
    attributes[key] = { DataType: 'String', StringValue: value };
  }
  const output = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: rendered.subject,
      MessageStructure: 'json',
      Message: messageBody(rendered),
      MessageAttributes: attributes,
    }),
  );
  return output.MessageId ?? '';
}
