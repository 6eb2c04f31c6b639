/** SNS Publish to a topic, validated the way SNS validates it. */
import type { PublishCommandInput, PublishResponse } from '@aws-sdk/client-sns';
import { snsErrors } from './errors';
import { requireModelledMembers } from './modelled';
import type { ArnScope, CallInfo, PublishedMessage, SimWorld } from './state';

/** Message plus attributes, in UTF-8 bytes. */
const SNS_MAX_MESSAGE_BYTES = 262_144;
/** A subject must be fewer than this many characters. */
const SNS_SUBJECT_LIMIT = 100;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const TOPIC_ARN = /^arn:[^:]+:sns:([^:]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;

export function topicArnOf(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:sns:${scope.region}:${scope.accountId}:${name}`;
}

function attributeBytes(attributes: PublishCommandInput['MessageAttributes']): number {
  let total = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    total += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8');
    if (value.StringValue !== undefined) total += Buffer.byteLength(value.StringValue, 'utf8');
    if (value.BinaryValue !== undefined) total += value.BinaryValue.byteLength;
  }
  return total;
}

function validateJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw snsErrors.invalidParameter(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw snsErrors.invalidParameter(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  }
  if (!('default' in parsed) || typeof parsed.default !== 'string') {
    throw snsErrors.invalidParameter(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
  }
}

export function publish(world: SimWorld, call: CallInfo, input: PublishCommandInput): PublishResponse {
  requireModelledMembers(call.operation, input, [
    'TopicArn',
    'Subject',
    'Message',
    'MessageStructure',
    'MessageAttributes',
  ]);
  const topicArn = input.TopicArn;
  if (topicArn === undefined) {
    throw snsErrors.invalidParameter(
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    );
  }
  const message = input.Message;
  if (message === undefined || message.length === 0) {
    throw snsErrors.invalidParameter('Invalid parameter: Empty message');
  }
  if (input.Subject !== undefined) {
    const subject = input.Subject;
    if (
      subject.length === 0 ||
      [...subject].length >= SNS_SUBJECT_LIMIT ||
      CONTROL_CHARACTERS.test(subject)
    ) {
      throw snsErrors.invalidParameter('Invalid parameter: Subject');
    }
  }
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== 'json') {
      throw snsErrors.invalidParameter('Invalid parameter: MessageStructure');
    }
    validateJsonStructure(message);
  }
  if (Buffer.byteLength(message, 'utf8') + attributeBytes(input.MessageAttributes) > SNS_MAX_MESSAGE_BYTES) {
    throw snsErrors.invalidParameter('Invalid parameter: Message too long');
  }

  const match = TOPIC_ARN.exec(topicArn);
  // A topic of another region or account can not be reached through this region's endpoint.
  if (!match || match[1] !== call.region || match[2] !== call.accountId) {
    throw snsErrors.invalidParameter('Invalid parameter: TopicArn');
  }
  if (!world.regionState(call.region).topics.has(match[3] ?? '')) {
    throw snsErrors.notFound('Topic does not exist');
  }

  const messageId = world.ids.uuid();
  const record: PublishedMessage = {
    topicArn,
    message,
    region: call.region,
    messageId,
    ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
    ...(input.MessageStructure !== undefined ? { messageStructure: input.MessageStructure } : {}),
    ...(input.MessageAttributes !== undefined
      ? { attributes: structuredClone(input.MessageAttributes) }
      : {}),
  };
  world.published.push(record);
  return { MessageId: messageId };
}
