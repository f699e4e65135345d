// Parses Prometheus text exposition with Prometheus's own Python client parser
// (Debian package python3-prometheus-client, installed by .ci/run): the reference reader, not ours.

import { execFileSync } from 'node:child_process';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: string;
  samples: PromSample[];
}

const SCRIPT = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = [{"name": f.name, "type": f.type, "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
       for f in text_string_to_metric_families(sys.stdin.read())]
print(json.dumps(out))
`;

export function parsePrometheusText(text: string): PromFamily[] {
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', SCRIPT], { input: text, encoding: 'utf8' }),
  ) as PromFamily[];
}
