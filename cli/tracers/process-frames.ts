// Names user stack frames for heat-record --stacks, in place of bpftrace 0.17. Under ASLR bpftrace
// builds and frees a bcc symbol cache for every frame it prints (re-reading the process's maps and
// the module's symbol table each time): a second of machine-wide syscall stacks took 19 s to print
// here, its exit 116 s, and the churn closed bpftrace's own descriptors (EBADF on its stack map).
// Here each module's symbols are read once (elf-symbols.ts), keyed by device and inode, and each
// process's maps are re-read at most once a second, so naming a frame is a binary search.

import { readFileSync } from 'node:fs';
import { offsetToAddress, readElfSymbols, symbolAt, type ElfSymbols } from './elf-symbols.js';

/** One file-backed mapping of /proc/PID/maps. */
interface Mapping {
  start: number;
  end: number;
  offset: number;
  /** "dev inode": the module's identity, the same file in every process (and container). */
  file: string;
  path: string;
}

interface ProcessMaps {
  readAtMs: number;
  mappings: Mapping[];
}

/** Maps older than this are read again when a frame misses them (a library loaded since). */
const MAPS_TTL_MS = 1000;
/** Bounds the memory of a machine-wide run: beyond this, the caches start again. */
const MAX_PROCESSES = 4096;
const MAX_MODULES = 512;

export class ProcessFrames {
  private readonly processes = new Map<number, ProcessMaps>();
  private readonly modules = new Map<string, ElfSymbols | null>();

  /** @param now the clock, in ms @default Date.now */
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The frame's name: its function ("slow_path"), else its address and module
   * ("0x7f3a12 (libc.so.6)"); null when no file maps it (JIT code, an exited process).
   */
  name(pid: number, address: string): string | null {
    const addr = parseInt(address, 16);
    const mapping = this.mappingOf(pid, addr);
    if (!mapping) return null;
    const elf = this.symbols(pid, mapping);
    const fileAddress = elf && offsetToAddress(elf, addr - mapping.start + mapping.offset);
    const symbol = elf && fileAddress !== null ? symbolAt(elf, fileAddress) : null;
    return symbol ?? `0x${address} (${mapping.path.slice(mapping.path.lastIndexOf('/') + 1)})`;
  }

  private mappingOf(pid: number, addr: number): Mapping | null {
    const cached = this.processes.get(pid);
    const hit = cached && findMapping(cached.mappings, addr);
    if (hit) return hit;
    if (cached && this.now() - cached.readAtMs < MAPS_TTL_MS) return null;
    if (this.processes.size >= MAX_PROCESSES) this.processes.clear();
    // A process gone is remembered as mapping nothing, until its pid may have been reused.
    const fresh = readMaps(pid, this.now()) ?? { readAtMs: this.now(), mappings: [] };
    this.processes.set(pid, fresh);
    return findMapping(fresh.mappings, addr);
  }

  private symbols(pid: number, m: Mapping): ElfSymbols | null {
    let elf = this.modules.get(m.file);
    if (elf === undefined) {
      if (this.modules.size >= MAX_MODULES) this.modules.clear();
      // Through map_files (root): the very file mapped, even deleted or in another mount
      // namespace; else by its path as the process sees it.
      elf =
        readElfSymbols(`/proc/${pid}/map_files/${hex(m.start)}-${hex(m.end)}`) ??
        readElfSymbols(`/proc/${pid}/root${m.path}`);
      this.modules.set(m.file, elf);
    }
    return elf;
  }
}

const hex = (n: number) => n.toString(16);

/** `7f3a1000-7f3a2000 r-xp 00001000 08:01 123456   /usr/lib/libc.so.6` -> a Mapping. */
const MAPS_LINE = /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) (\S+) (\d+)\s+(\/.*)$/;

/** The file-backed mappings of a process, by address; null when it is gone. */
export function readMaps(pid: number, readAtMs: number): ProcessMaps | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return null;
  }
  const mappings: Mapping[] = [];
  for (const line of text.split('\n')) {
    const m = MAPS_LINE.exec(line);
    if (!m || m[5] === '0') continue;
    mappings.push({
      start: parseInt(m[1]!, 16),
      end: parseInt(m[2]!, 16),
      offset: parseInt(m[3]!, 16),
      file: `${m[4]} ${m[5]}`,
      path: m[6]!.replace(/ \(deleted\)$/, ''),
    });
  }
  return { readAtMs, mappings };
}

/** The mapping holding addr (the kernel lists them in ascending order). */
function findMapping(mappings: readonly Mapping[], addr: number): Mapping | null {
  let lo = 0;
  let hi = mappings.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = mappings[mid]!;
    if (addr < m.start) hi = mid - 1;
    else if (addr >= m.end) lo = mid + 1;
    else return m;
  }
  return null;
}
