/**
 * Text for Slack (AWS Chatbot renders `client-markdown` as Slack mrkdwn). Anything that did not come
 * from this tool (an ARN a caller sent, an error message, a table's reason) is clipped to one short
 * line and escaped before it reaches Slack, so it can neither ping (`<!channel>`), link
 * (`<https://…|text>`) nor break the formatting around it; and a description is kept within a fixed
 * size budget, whatever the number of tables.
 */

/** Slack shows at most 3,000 characters of a text block; the description stays within it. */
export const SLACK_DESCRIPTION_MAX_CHARS = 3000;
/** One untrusted value on a line of the description. */
export const SLACK_VALUE_MAX_CHARS = 300;

/** Clips to `max` characters (whole code points) with an ellipsis. */
export function clip(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** One line of untrusted text, clipped, with Slack's control characters escaped. */
export function slackText(untrusted: string, max = SLACK_VALUE_MAX_CHARS): string {
  const line = untrusted
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ')
    .trim();
  return clip(line, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, "'");
}

/** Untrusted text shown as code: `value`. */
export function slackCode(untrusted: string, max = SLACK_VALUE_MAX_CHARS): string {
  return `\`${slackText(untrusted, max)}\``;
}

/**
 * The header lines, then as many item lines as fit in `maxChars`, then `more(hidden)` when some did
 * not fit (or were beyond `maxItems`).
 */
export function fitDescription(
  header: string[],
  items: string[],
  more: (hidden: number) => string,
  options: { maxItems?: number; maxChars?: number } = {},
): string {
  const maxChars = options.maxChars ?? SLACK_DESCRIPTION_MAX_CHARS;
  const limit = Math.min(items.length, options.maxItems ?? items.length);
  const lines = [...header];
  let length = lines.join('\n').length;
  let shown = 0;
  for (; shown < limit; shown++) {
    const item = items[shown] ?? '';
    const tail = shown + 1 < items.length ? `\n${more(items.length - shown - 1)}` : '';
    if (length + 1 + item.length + tail.length > maxChars) break;
    lines.push(item);
    length += 1 + item.length;
  }
  if (shown < items.length) lines.push(more(items.length - shown));
  return clip(lines.join('\n'), maxChars);
}
