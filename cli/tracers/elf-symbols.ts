// The function symbols of an ELF64 little-endian file (x86-64, arm64), read for naming user stack
// frames (process-frames.ts): .symtab when the file keeps one (static functions such as a
// workload's slow_path are only there), else .dynsym. Only the headers and the two tables are read,
// not the whole file (node is ~100 MB), and names are decoded on demand: node has ~200k symbols.
// A stripped library's full table is in its detached debug file, found by build id as bcc does
// (/usr/lib/debug/.build-id/93/ac61...debug, from libc6-dbg): glibc's __libc_start_call_main is
// only there.

import { closeSync, existsSync, openSync, readSync } from 'node:fs';

/** A PT_LOAD segment: maps file offsets [offset, offset + size) to addresses from vaddr. */
interface Segment {
  offset: number;
  vaddr: number;
  size: number;
}

/** Function symbols by address, and the segments that place the file in memory. */
export interface ElfSymbols {
  segments: Segment[];
  /** Start addresses, ascending; sizes and name offsets (into `strings`) at the same index. */
  starts: Float64Array;
  sizes: Float64Array;
  nameAt: Uint32Array;
  strings: Buffer;
}

const SHT_SYMTAB = 2;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const NT_GNU_BUILD_ID = 3;
const DEBUG_ROOT = '/usr/lib/debug/.build-id';
const PT_LOAD = 1;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const SYM_SIZE = 24;

/**
 * The file's function symbols, from its debug file when one is installed and the file has no
 * .symtab; null when it is not a readable ELF64 little-endian file.
 */
export function readElfSymbols(path: string): ElfSymbols | null {
  const elf = readElf(path);
  if (!elf || elf.full || !elf.buildId) return elf?.symbols ?? null;
  const debug = `${DEBUG_ROOT}/${elf.buildId.slice(0, 2)}/${elf.buildId.slice(2)}.debug`;
  const detached = existsSync(debug) ? readElf(debug) : null;
  // The debug file's own load segments describe the same addresses; keep the module's anyway.
  return detached?.full ? { ...detached.symbols, segments: elf.symbols.segments } : elf.symbols;
}

interface ElfFile {
  symbols: ElfSymbols;
  /** True when the symbols came from .symtab (everything), not .dynsym (exports only). */
  full: boolean;
  buildId: string | null;
}

function readElf(path: string): ElfFile | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return readSymbols(fd);
  } catch {
    return null; // truncated or odd: its frames stay addresses
  } finally {
    closeSync(fd);
  }
}

function readSymbols(fd: number): ElfFile | null {
  const head = readAt(fd, 0, 64);
  if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return null;
  const segments = loadSegments(fd, head);
  const sections = sectionHeaders(fd, head);
  const symtab = sections.find((s) => s.type === SHT_SYMTAB && s.size > 0);
  const table = symtab ?? sections.find((s) => s.type === SHT_DYNSYM);
  if (!table || table.link >= sections.length) return null;
  const strtab = sections[table.link]!;
  const strings = readAt(fd, strtab.offset, strtab.size);
  return {
    symbols: { segments, strings, ...functions(readAt(fd, table.offset, table.size)) },
    full: symtab !== undefined,
    buildId: buildId(fd, sections),
  };
}

/** The GNU build id note ("93ac61ec..."), or null. */
function buildId(fd: number, sections: readonly Section[]): string | null {
  for (const s of sections) {
    if (s.type !== SHT_NOTE || s.size > 4096) continue;
    const notes = readAt(fd, s.offset, s.size);
    for (let p = 0; p + 12 <= notes.length;) {
      const [nameSize, descSize, type] = [0, 4, 8].map((o) => notes.readUInt32LE(p + o));
      const desc = p + 12 + align4(nameSize!);
      if (type === NT_GNU_BUILD_ID && notes.toString('latin1', p + 12, p + 15) === 'GNU')
        return notes.toString('hex', desc, desc + descSize!);
      p = desc + align4(descSize!);
    }
  }
  return null;
}

const align4 = (n: number) => (n + 3) & ~3;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  if (n !== length) throw new Error('short read');
  return buf;
}

function loadSegments(fd: number, head: Buffer): Segment[] {
  const at = Number(head.readBigUInt64LE(32));
  const size = head.readUInt16LE(54);
  const count = head.readUInt16LE(56);
  const table = readAt(fd, at, size * count);
  const segments: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const p = i * size;
    if (table.readUInt32LE(p) !== PT_LOAD) continue;
    segments.push({
      offset: Number(table.readBigUInt64LE(p + 8)),
      vaddr: Number(table.readBigUInt64LE(p + 16)),
      size: Number(table.readBigUInt64LE(p + 32)),
    });
  }
  return segments;
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
}

function sectionHeaders(fd: number, head: Buffer): Section[] {
  const at = Number(head.readBigUInt64LE(40));
  const size = head.readUInt16LE(58);
  const count = head.readUInt16LE(60);
  if (at === 0 || count === 0) return [];
  const table = readAt(fd, at, size * count);
  return Array.from({ length: count }, (_, i) => ({
    type: table.readUInt32LE(i * size + 4),
    offset: Number(table.readBigUInt64LE(i * size + 24)),
    size: Number(table.readBigUInt64LE(i * size + 32)),
    link: table.readUInt32LE(i * size + 40),
  }));
}

/** The defined function symbols of a symbol table, sorted by address. */
function functions(table: Buffer): Pick<ElfSymbols, 'starts' | 'sizes' | 'nameAt'> {
  const found: { start: number; size: number; name: number }[] = [];
  for (let p = 0; p + SYM_SIZE <= table.length; p += SYM_SIZE) {
    const type = table[p + 4]! & 0xf;
    const start = Number(table.readBigUInt64LE(p + 8));
    if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || start === 0) continue;
    found.push({ start, size: Number(table.readBigUInt64LE(p + 16)), name: table.readUInt32LE(p) });
  }
  found.sort((a, b) => a.start - b.start);
  return {
    starts: Float64Array.from(found, (f) => f.start),
    sizes: Float64Array.from(found, (f) => f.size),
    nameAt: Uint32Array.from(found, (f) => f.name),
  };
}

/** The address (as the file's symbols count them) that a file offset is loaded at; null if none. */
export function offsetToAddress(elf: ElfSymbols, fileOffset: number): number | null {
  const s = elf.segments.find((g) => fileOffset >= g.offset && fileOffset < g.offset + g.size);
  return s ? fileOffset - s.offset + s.vaddr : null;
}

/** The name of the function holding `address`; null when none does. */
export function symbolAt(elf: ElfSymbols, address: number): string | null {
  let lo = 0;
  let hi = elf.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (elf.starts[mid]! <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  if (hi < 0) return null;
  const size = elf.sizes[hi]!;
  // A size of 0 (hand-written assembly) is taken to run up to the next symbol, as bcc does.
  if (size > 0 && address >= elf.starts[hi]! + size) return null;
  const from = elf.nameAt[hi]!;
  const to = elf.strings.indexOf(0, from);
  return withoutVersion(elf.strings.toString('utf8', from, to < 0 ? undefined : to));
}

/**
 * A .symtab name without the symbol version it may carry (glibc's debug file names
 * `clock_nanosleep@@GLIBC_2.17`): the name as .dynsym, DTrace and bpftrace print it.
 */
function withoutVersion(name: string): string {
  const at = name.indexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}
