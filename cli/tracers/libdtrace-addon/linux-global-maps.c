/*
 * Linux DTrace 2.0 only: libdtrace creates a handle's BPF maps (state, aggs, buffers, ...) the
 * first time any handle in the process starts tracing, and then sets a file-static flag
 * (dt_bpf.c: `static boolean_t dt_gmap_done`) that makes every later handle skip creating its
 * own. The maps' fds live in each handle, so a second consumer in one process fails to load:
 *   "BPF program load for 'dtrace:::BEGIN' failed: Bad file descriptor"
 * dtrace(1) never notices (one handle per process). We clear the flag before each new handle
 * starts, finding it through libdtrace's ELF symbol table (local symbols are not exported).
 * Where the table is stripped, a second consumer per process is refused with a clear message.
 * Two handles tracing at once still fail ("Failed to enable probe": both attach the uprobes on
 * libdtrace's own BEGIN_probe/END_probe), so a second go() while one traces is refused too.
 */
#ifdef __linux__

#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "consumer.h"

static int *ht_gmap_done;
static int ht_looked, ht_handles_started, ht_tracing;

/* The symbol's offset in the file's .symtab, or 0. */
static Elf64_Addr ht_symbol_offset(const char *map, size_t size, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)map;
	const Elf64_Shdr *sh;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
		return 0;
	sh = (const Elf64_Shdr *)(map + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum || sh[i].sh_offset + sh[i].sh_size > size)
			continue;
		const Elf64_Sym *sym = (const Elf64_Sym *)(map + sh[i].sh_offset);
		const char *names = map + sh[sh[i].sh_link].sh_offset;
		size_t n = sh[i].sh_size / sizeof(Elf64_Sym), limit = sh[sh[i].sh_link].sh_size;
		for (size_t j = 0; j < n; j++)
			if (sym[j].st_name < limit && strcmp(names + sym[j].st_name, name) == 0)
				return sym[j].st_value;
	}
	return 0;
}

static int *ht_find_flag(void)
{
	Dl_info info;
	struct stat st;
	Elf64_Addr offset = 0;
	int fd;

	if (dladdr((void *)dtrace_open, &info) == 0 || info.dli_fname == NULL)
		return NULL;
	if ((fd = open(info.dli_fname, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) == 0) {
		char *map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map != MAP_FAILED) {
			offset = ht_symbol_offset(map, st.st_size, "dt_gmap_done");
			munmap(map, st.st_size);
		}
	}
	close(fd);
	return offset ? (int *)((char *)info.dli_fbase + offset) : NULL;
}

void ht_linux_traced(int delta)
{
	__atomic_add_fetch(&ht_tracing, delta, __ATOMIC_SEQ_CST); /* the end may come on a worker thread */
}

int ht_linux_before_go(char *why, size_t size)
{
	if (__atomic_load_n(&ht_tracing, __ATOMIC_SEQ_CST) > 0) {
		snprintf(why, size, "Linux DTrace 2.0 traces with one consumer per process at a time: close the other first");
		return -1;
	}
	if (!ht_looked) {
		ht_gmap_done = ht_find_flag();
		ht_looked = 1;
	}
	if (ht_gmap_done != NULL)
		*ht_gmap_done = 0;
	else if (ht_handles_started > 0) {
		snprintf(why, size, "Linux DTrace 2.0 runs one traced consumer per process, and this libdtrace has no symbol table to lift that (dt_gmap_done)");
		return -1;
	}
	ht_handles_started++;
	return 0;
}

#endif
