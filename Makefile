# SPDX-License-Identifier: GPL-2.0-or-later
#
# ptimer-ng: every step is a script in scripts/; this file strings them
# together.  The two commands a newcomer needs: "make demo", "make check".

S := scripts
CACHE := build

.PHONY: all demo check deps fetch assemble configure build series refresh \
        bench docs clean distclean boot-matrix bisect check-sanitize fuzz

all: demo

deps:
	@bash $(S)/install-deps.sh

fetch: deps
	@bash $(S)/fetch.sh > /dev/null

assemble: fetch
	@bash $(S)/assemble.sh

configure: assemble
	@bash $(S)/configure.sh

build: configure
	@bash $(S)/build.sh

# Build patched QEMU and boot a guest kernel on vexpress-a9.
demo: build
	@bash $(S)/boot.sh vexpress-a9

# Boot every board whose timers the series changes on stock and patched QEMU,
# idle and on a loaded host (table),
# record/replay and icount accuracy checks.
boot-matrix: build
	@bash $(S)/boot-matrix.sh

# Every test; ends with "N passed, N failed".
check: build
	@bash $(S)/test.sh

# Every ptimer test under ASan + UBSan, all targets.
check-sanitize: build
	@bash $(S)/sanitize.sh

# The full fuzzing campaign: 10^5 operations per device, sanitizer build.
fuzz: build
	@bash $(S)/fuzz.sh

# The mail-ready series in build/out/series.
series: build
	@bash $(S)/series.sh

# Commits made in build/src -> patches/ and our whole files.
refresh:
	@bash $(S)/refresh.sh

# Build and test every commit of the series (slow).
bisect: build
	@bash $(S)/check-bisect.sh

bench: build
	@bash $(S)/bench.sh

# Our core against 10.0's on random call sequences (make check runs it).
diff: build
	@bash $(S)/diff.sh

docs: assemble
	@bash $(S)/docs.sh

# Keep the downloads (QEMU source, guest packages, ccache).
clean:
	rm -rf $(CACHE)/src $(CACHE)/qemu-build $(CACHE)/out $(CACHE)/docs-build \
	    $(CACHE)/asan-build

distclean:
	rm -rf $(CACHE)
