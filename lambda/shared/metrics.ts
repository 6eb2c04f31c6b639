/** Per-region CloudWatch metrics through Powertools (embedded metric format), flushed per region. */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC } from './observability';

export function publishRegionCounts(metrics: Metrics, region: string, counts: Record<string, number>): void {
  metrics.addDimension('region', region);
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics(); // also clears the dimension for the next region
}

/**
 * One region could not be audited: counted per region with the other counts, and here once more
 * without the region, so one alarm covers every region.
 */
export function publishRegionAuditFailure(metrics: Metrics): void {
  metrics.singleMetric().addMetric(METRIC.regionAuditFailures, MetricUnit.Count, 1);
}
