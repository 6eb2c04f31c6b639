/** Per-region CloudWatch metrics through Powertools (embedded metric format), flushed per region. */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export function publishRegionCounts(metrics: Metrics, region: string, counts: Record<string, number>): void {
  metrics.addDimension('region', region);
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics(); // also clears the dimension for the next region
}
