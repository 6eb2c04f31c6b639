/** A remediation run: validate the event, create the backups, publish one summary, return results. */
import { SNSClient } from '@aws-sdk/client-sns';
import { publish } from '../shared/notify/message';
import { renderRemediationSummary } from '../shared/notify/remediation-summary';
import { RemediationResponse } from '../shared/types';
import { planRemediation, RemediationScope, resultsInEventOrder } from './event';
import { RemediationDeps, remediateTables } from './remediate';

export interface RemediationRunDeps extends RemediationDeps {
  sns: SNSClient;
  topicArn: string;
}

export async function runRemediation(
  deps: RemediationRunDeps,
  scope: RemediationScope,
  event: unknown,
): Promise<RemediationResponse> {
  const plan = planRemediation(event, scope); // throws before any AWS call on a malformed event
  for (const refused of plan.refused) deps.logger.warn('Table refused', { ...refused });
  const done = await remediateTables(deps, plan.accepted);
  const results = resultsInEventOrder(plan, done);
  // Logged before publishing, so the results survive a failed publish (which fails the invocation).
  deps.logger.info('Remediation results', { results });
  if (results.length > 0) {
    await publish(deps.sns, deps.topicArn, renderRemediationSummary(results, scope.accountId));
  }
  return { results };
}
