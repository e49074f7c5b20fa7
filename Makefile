# The two commands of the README: `make demo` and `make test`. Both install what they need.
BUILD ?= build
DEMO_ARGS ?= --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34

.PHONY: setup setup-interop build demo test asan bench clean image

setup:
	@bash scripts/setup.sh

setup-interop: setup
	@bash scripts/setup-interop.sh

build: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD)

demo: build
	./$(BUILD)/cli/galley recipe $(DEMO_ARGS)

test: build setup-interop
	cd $(BUILD) && ctest --output-on-failure

asan: setup setup-interop
	@cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGALLEY_SANITIZE=ON -DGALLEY_BENCH=OFF >/dev/null
	@cmake --build build-asan
	cd build-asan && ctest --output-on-failure

image: build
	bash scripts/image.sh $(BUILD) 0.1.0

bench: build
	bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz

# Fuzzing (fuzz/README.md): each libFuzzer target FUZZ_SECONDS seconds (clang-14, in build-fuzz/).
FUZZ_SECONDS ?= 60
.PHONY: setup-fuzz fuzz
setup-fuzz: setup
	@bash scripts/setup-fuzz.sh

fuzz: setup-fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh run
