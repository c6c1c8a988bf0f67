# Thin wrappers over CMake presets; see README.md. Every target first installs missing Debian packages.
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test asan fuzz format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset default >/dev/null
	@cmake --build --preset default -j $(JOBS)

demo: build
	@bash scripts/demo.sh build/default/cli/kc

test: build
	@ctest --preset default -j $(JOBS)

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

# Fuzz the parser and formatter with AFL++ for FUZZ_SECONDS (see docs/testing.md).
FUZZ_SECONDS ?= 600
fuzz: deps
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
