// Preloaded into a server under test (node --import tsx --import this-file heat-view.js ...): it
// measures the process's event loop and memory from inside, and answers over the IPC channel.
// "reset" starts a measurement; "report" answers with the loop's longest stop since then, in wall
// time and in the CPU time the process spent during it, and the resident-memory high-water mark
// (the kernel's VmHWM, reset through /proc/self/clear_refs, so a peak inside a stalled loop is seen
// too). A stop's CPU time is the work that ran without yielding, whatever the machine's load; its
// wall time also holds the time the process waited for a core.

import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeReport {
  /** The longest the loop went without running a due 1 ms timer (ms). */
  maxStopMs: number;
  /** The most CPU time the process used between two turns of a 1 ms timer (ms). */
  maxStopCpuMs: number;
  /** Resident memory when the measurement started, its peak since, and now (bytes). */
  startRss: number;
  peakRss: number;
  rss: number;
}

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let startRss = process.memoryUsage.rss();
let maxStopCpuMs = 0;
let lastCpu = process.cpuUsage();
setInterval(() => {
  const cpu = process.cpuUsage();
  maxStopCpuMs = Math.max(
    maxStopCpuMs,
    (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000,
  );
  lastCpu = cpu;
}, 1).unref();

process.on('message', (message: string) => {
  if (message === 'reset') {
    delay.reset();
    maxStopCpuMs = 0;
    writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := VmRSS
    startRss = process.memoryUsage.rss();
    process.send!('reset');
  } else if (message === 'report') {
    const report: ProbeReport = {
      maxStopMs: delay.max / 1e6,
      maxStopCpuMs,
      startRss,
      peakRss: highWaterMark(),
      rss: process.memoryUsage.rss(),
    };
    process.send!(report);
  }
});

function highWaterMark(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kb) * 1024;
}
