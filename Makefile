# oclbench — build, run, test, check, install, bundle.
# `make run` and `make test` each do the whole set-up on a fresh Debian/Ubuntu machine.

VERSION    := $(shell sed -n 's/^#define OB_VERSION "\(.*\)"/\1/p' core/oclbench.h)
CC        ?= cc
# Quiet by default: one short line per compiled or linked file; V=1 shows the whole commands.
V         ?= 0
ifeq ($(V),1)
Q :=
show :=
else
Q := @
show = @printf '  %-6s %s\n' $(1) $(2);
endif
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
PKGS      := OpenCL clblast hwloc
TEST_PKGS := cmocka

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lOpenCL -lclblast -lhwloc)
TEST_LIBS  := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null || echo -lcmocka)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
# snprintf truncation is deliberate (bounded fields); gcc's guess about it is not a bug.
WARN     += $(shell $(CC) -Werror -Wno-format-truncation -x c -c -o /dev/null /dev/null 2>/dev/null && echo -Wno-format-truncation)
CPPFLAGS += -D_GNU_SOURCE -DCL_TARGET_OPENCL_VERSION=120 -DCL_USE_DEPRECATED_OPENCL_1_2_APIS
# Each layer sees only its own and the lower layers' headers (bench -> models -> core ->
# devices); a models/ domain names another domain's header by its folder ("gemm/gemm.h").
# tools/check_layers.sh (make check) checks the rules and that no units include each other.
INC_devices := -Idevices
INC_core    := -Icore $(INC_devices) -I$(BUILD)
INC_models  := -Imodels $(INC_core)
INC_bench   := -Ibench $(INC_models)
INC_tests   := -Itests $(INC_bench)
# The include flags of a source file's layer (its first folder).
layer_inc = $(INC_$(firstword $(subst /, ,$(1))))
CFLAGS   ?= -O2 -g
SANITIZE ?=
override CFLAGS += -std=c11 $(WARN) -pthread $(PKG_CFLAGS) -MMD -MP $(SANITIZE)
override LDFLAGS += $(SANITIZE)
LDLIBS   += $(PKG_LIBS) -lcsv -lm -ldl -pthread

CORE_SRC    := $(wildcard core/*.c)
DEVICES_SRC := $(wildcard devices/*.c)
MODELS_SRC  := $(wildcard models/*.c models/*/*.c)
BENCH_SRC   := $(filter-out bench/main.c bench/mpi_main.c,$(wildcard bench/*.c))
KERNELS     := $(sort $(wildcard cl_kernels/*.cl))
GEN_SRC     := $(BUILD)/kernels_embedded.c

LIB_SRC  := $(CORE_SRC) $(DEVICES_SRC) $(MODELS_SRC) $(BENCH_SRC)
LIB_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC)) $(BUILD)/kernels_embedded.o
LIB      := $(BUILD)/liboclbench.a
TESTS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
TEST_OBJ := $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(filter-out tests/test_%.c tests/fake_%.c,$(wildcard tests/*.c)))

DEB_PKGS := ocl-icd-opencl-dev opencl-headers pocl-opencl-icd libclblast-dev libhwloc-dev \
            libcsv-dev libcmocka-dev pkg-config locales libxml2-utils openmpi-bin libopenmpi-dev \
            graphviz
MPICC    ?= mpicc

.PHONY: all deps run test check install uninstall clean mpi
.SECONDARY:
all: oclbench

oclbench: $(BUILD)/bench/main.o $(LIB)
	$(call show,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(call show,AR,$@)$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call show,CC,$<)$(CC) $(CPPFLAGS) $(call layer_inc,$<) $(CFLAGS) -c -o $@ $<

$(GEN_SRC): $(KERNELS) tools/embed_kernels.sh
	@mkdir -p $(BUILD)
	$(call show,GEN,$@)sh tools/embed_kernels.sh $(KERNELS) > $@.tmp && mv $@.tmp $@

$(BUILD)/kernels_embedded.o: $(GEN_SRC)
	$(call show,CC,$<)$(CC) $(CPPFLAGS) $(INC_core) $(CFLAGS) -c -o $@ $<

# Generated sources must exist before anything that includes their header is compiled.
$(LIB_OBJ) $(BUILD)/bench/main.o: | $(GEN_SRC)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(call show,CC,$<)$(CC) $(CPPFLAGS) $(INC_tests) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_OBJ) $(LIB)
	$(call show,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LDLIBS)

# Stand-in NVML libraries that test_sensors loads (tests/fake_nvml.c): today's function names
# and, with FAKE_NVML_LEGACY, the older ones.
FAKE_NVML := $(BUILD)/tests/libfake_nvml.so $(BUILD)/tests/libfake_nvml_legacy.so
$(BUILD)/tests/libfake_nvml_legacy.so: FAKE_NVML_FLAGS := -DFAKE_NVML_LEGACY
$(FAKE_NVML): tests/fake_nvml.c
	@mkdir -p $(dir $@)
	$(call show,LINK,$@)$(CC) $(CPPFLAGS) $(INC_tests) $(CFLAGS) $(FAKE_NVML_FLAGS) -fPIC -shared -o $@ $<
$(BUILD)/tests/test_sensors: | $(FAKE_NVML)

deps:
	@sh tools/deps.sh $(DEB_PKGS)

# Every workload on every device; CSVs in a new results/<UTC time>-<host>/ that results/latest
# then points at (no run replaces another's), a summary on stdout.
run: deps
	@$(MAKE) --no-print-directory all
	./oclbench run all

# oclbench-mpi: `run` over many hosts with Open MPI (only this target needs MPI).
mpi: oclbench-mpi

oclbench-mpi: $(BUILD)/bench/mpi_main.o $(LIB)
	$(call show,LINK,$@)$(MPICC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/mpi_main.o: bench/mpi_main.c
	@mkdir -p $(dir $@)
	$(call show,CC,$<)$(MPICC) $(CPPFLAGS) $(INC_bench) $(CFLAGS) -c -o $@ $<

# The test suite on whatever OpenCL device is present (PoCL in CI).
test: deps
	@$(MAKE) --no-print-directory all mpi tests-build
	@sh tools/run_tests.sh $(BUILD) $(TESTS)

.PHONY: tests-build
tests-build: $(TESTS)

# The suite again on the other OpenCL implementations that install on any Debian machine,
# privately under $(BUILD)/portability (tools/portability.sh): Intel's CPU runtime, Oclgrind.
.PHONY: portability
portability: deps
	@$(MAKE) --no-print-directory all mpi tests-build
	@sh tools/portability.sh run $(BUILD) $(TESTS)

# The layer rules (tools/check_layers.sh), then the test suite built with AddressSanitizer +
# UndefinedBehaviorSanitizer.
check: deps
	@sh tools/check_layers.sh
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS='-O1 -g -fno-omit-frame-pointer' \
	  SANITIZE='-fsanitize=address,undefined -fno-sanitize-recover=undefined' \
	  oclbench-san mpi-san tests-build
	@OB_SANITIZED=1 sh tools/run_tests.sh build-san $(patsubst $(BUILD)/%,build-san/%,$(TESTS))

.PHONY: oclbench-san mpi-san
oclbench-san: $(BUILD)/bench/main.o $(LIB)
	$(call show,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $(BUILD)/oclbench $^ $(LDLIBS)

mpi-san: $(BUILD)/bench/mpi_main.o $(LIB)
	$(call show,LINK,$@)$(MPICC) $(CFLAGS) $(LDFLAGS) -o $(BUILD)/oclbench-mpi $^ $(LDLIBS)

# The portable bundle (tools/bundle.sh): libraries Debian ships as static archives are linked
# in; the others (the ICD loader, libudev for hwloc) travel in the bundle's lib/, found through
# the rpath. BUNDLE_DIR: where the tarball goes (default: the project root).
BUNDLE_DIR    ?= .
BUNDLE_STATIC := clblast hwloc csv
BUNDLE_LIBS   := -Wl,-Bstatic $(filter $(BUNDLE_STATIC:%=-l%),$(LDLIBS)) -lstdc++ -Wl,-Bdynamic \
                 $(filter-out $(BUNDLE_STATIC:%=-l%),$(LDLIBS)) -l:libudev.so.1 -ldl

$(BUILD)/bundle/oclbench: $(BUILD)/bench/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(call show,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -static-libgcc -Wl,-rpath,'$$ORIGIN/../lib' -o $@ $^ $(BUNDLE_LIBS)

bundle: $(BUILD)/bundle/oclbench
	CC='$(CC)' sh tools/bundle.sh $(VERSION) $< $(BUNDLE_DIR) $(BUNDLE_STATIC) stdc++

# The man page is printed by the binary from the same text as --help (bench/help_text.c).
install: oclbench
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 oclbench $(DESTDIR)$(PREFIX)/bin/oclbench
	./oclbench --man > $(DESTDIR)$(PREFIX)/share/man/man1/oclbench.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/oclbench $(DESTDIR)$(PREFIX)/share/man/man1/oclbench.1

clean:
	rm -rf build build-san oclbench oclbench-mpi

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- fuzzing (tests/fuzz/)
# `make fuzz`: the libFuzzer targets, built with clang and ASan + UBSan in build-fuzz/, each run
# for FUZZ_SECONDS on its committed corpus and regression inputs (tools/fuzz.sh); any finding
# fails. The same entry points are built without the fuzzer runtime (replay.c) as part of the
# test programs, and `make test` replays the corpora and regression inputs through them.
FUZZ_TARGETS  := spec edges train compare cli env
FUZZ_SECONDS  ?= 60
FUZZ_CC       ?= clang
FUZZ_DEB_PKGS := clang libclang-rt-dev
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SUPPORT  := tests/fuzz/fuzz_util.c

.PHONY: fuzz fuzz-build fuzz-clean
clean: fuzz-clean
tests-build: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/replay_%)

$(BUILD)/tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_SUPPORT) \
                              tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(call show,LINK,$@)$(CC) $(CPPFLAGS) $(INC_tests) -Itests/fuzz $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) $(LIB) $(LDLIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SUPPORT) tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(call show,LINK,$@)$(CC) $(CPPFLAGS) $(INC_tests) -Itests/fuzz $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $(filter %.c,$^) \
	  $(LIB) $(LDLIBS)

fuzz-build:
	@sh tools/deps.sh $(FUZZ_DEB_PKGS)
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
	  CFLAGS='-O1 -g -fno-omit-frame-pointer' SANITIZE='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	  $(FUZZ_TARGETS:%=build-fuzz/fuzz/fuzz_%)

fuzz: fuzz-build
	@sh tools/fuzz.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf build-fuzz
