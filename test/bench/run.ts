// npm run bench: every figure beside a baseline measured in the same run.

import { printBenchRows } from './bench-row.js';
import { benchBytesPerSecond, benchIngest, benchRecorderCpu, cleanUp } from './recorder-bench.js';
import { benchLiveLatency } from './live-bench.js';
import { benchLiveSnapshot } from './live-snapshot-bench.js';
import { benchViewer } from './viewer-bench.js';
import { benchStacks } from './stacks-bench.js';
import { benchScale } from './scale-bench.js';
import { benchStaticHost } from './static-host-bench.js';
import { benchTracerCpu } from './tracer-cpu-bench.js';
import { benchProbeEffect } from './probe-effect-bench.js';
import { benchStackProbeEffect } from './stacks-probe-bench.js';
import { benchDemangle } from './demangle-bench.js';

async function main(): Promise<void> {
  printBenchRows('recorder: ingest', benchIngest());
  printBenchRows('recorder: size', benchBytesPerSecond());
  printBenchRows('recorder: CPU while tracing (real bpftrace)', await benchRecorderCpu());
  printBenchRows(
    'recorder: CPU by tracer on the same load (libdtrace, dtrace(1) text, bpftrace)',
    await benchTracerCpu(),
  );
  printBenchRows(
    'tracers: probe effect on a getppid loop, attach/detach, Ctrl-C -> finalized (real bpftrace and dtrace)',
    await benchProbeEffect(),
  );
  printBenchRows(
    'stacks: heat-record --stacks --stacks-above 1ms, probe effect and bytes (real bpftrace)',
    await benchStackProbeEffect(),
  );
  printBenchRows(
    'stacks: heat-record --tracer dtrace --stacks --stacks-above 1ms, probe effect and bytes (real dtrace)',
    await benchStackProbeEffect('dtrace'),
  );
  printBenchRows('stacks: C++ frame names, demangled by c++filt', await benchDemangle());
  cleanUp();
  printBenchRows('viewer (Chromium): 1 h x 40 keys', await benchViewer());
  printBenchRows('viewer (Chromium): stacks of a box (issue 15)', await benchStacks());
  printBenchRows('live (Chromium): commit -> painted', await benchLiveLatency());
  printBenchRows('live: a viewer opening a long recording in progress', await benchLiveSnapshot());
  printBenchRows(
    'viewer (Chromium): long recordings, as recorded vs rollup tables emptied',
    await benchScale(),
  );
  printBenchRows(
    'viewer (Chromium): a week-long recording by ?url= from a plain static host',
    await benchStaticHost(),
  );
}

await main();
