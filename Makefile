# distill: make demo · make test · make bench
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo docs test sanitize fuzz check-asan-corpus check-example check-specs check-python check-report bench samples clean

# The system packages distill needs: json-c's headers (the model parser), OpenBLAS (the dense-layer
# kernel) and pkg-config.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists json-c || ! pkg-config --exists openblas; then \
		echo "installing libjson-c-dev, libopenblas-dev and pkg-config"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libjson-c-dev libopenblas-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product distill

# The main job on a shipped sample: rules for the iris network, printed.
demo: release
	.build/release/distill samples/iris/model.json --data samples/iris/train.csv --test samples/iris/test.csv --label species -o rules.txt --json result.json
	@cat rules.txt

test: deps
	python3 Tests/check_layers.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) check-specs
	$(MAKE) check-python
	$(MAKE) check-asan-corpus
	$(MAKE) check-example
	$(MAKE) docs

# The example app (Examples/FitSurrogate), which depends on distill by path: it fits a surrogate in code,
# checks that its embedded generated surrogate is the code distill generates now, and that it decides every
# held-out row as the fitted one.
check-example: deps
	cd Examples/FitSurrogate && $(SWIFT) run FitSurrogate

# The bad-input corpus (Tests/CLITests/BadInputs) against distill built with AddressSanitizer: a memory
# error in a front end fails the run even where the message would be right.
check-asan-corpus: deps
	$(SWIFT) build --product distill --sanitize=address --build-path .build/asan
	DISTILL_BINARY=$(CURDIR)/.build/asan/debug/distill ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --filter BadInputCorpusTests

# The test suite under AddressSanitizer, then the library tests under ThreadSanitizer (each in its own
# build folder; the CLI tests run the sanitized binary built beside them, too slow under ThreadSanitizer). Leak detection is off: the only leaks it reports are
# objects the XCTest runner and swift-argument-parser's exit on a usage error leave at exit.
sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --build-path .build/asan
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --sanitize=address --build-path .build/asan
	$(SWIFT) build --build-tests --sanitize=thread --build-path .build/tsan
	$(SWIFT) test --skip-build --sanitize=thread --build-path .build/tsan --filter DistillTests

# libFuzzer on the front ends (Sources/DistillFuzz): the model decoder, the saved-surrogate decoder, the
# CSV reader (its two paths must agree) and the ONNX importer, each for FUZZ_SECONDS, from the seeds in
# Tests/Fuzz/corpus (the growing corpus stays under .build/fuzz-corpus). A finding stops the run and is
# saved under .build/fuzz-findings/TARGET/; turn it into a case of Tests/CLITests/BadInputs. lld links
# it (gold fails on the sanitizer's objects).
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?= model surrogate csv onnx
fuzz: deps
	DISTILL_FUZZ=1 $(SWIFT) build -c release --build-path .build/fuzz --product DistillFuzz \
		-Xswiftc -sanitize=fuzzer,address --toolset Tests/Fuzz/lld-toolset.json
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p .build/fuzz-corpus/$$target .build/fuzz-findings/$$target; \
		case $$target in csv) dict=Tests/Fuzz/csv.dict;; onnx) dict=;; *) dict=Tests/Fuzz/json.dict;; esac; \
		echo "fuzzing $$target for $(FUZZ_SECONDS) s"; \
		SWIFT_BACKTRACE=enable=no DISTILL_FUZZ_TARGET=$$target .build/fuzz/release/DistillFuzz .build/fuzz-corpus/$$target Tests/Fuzz/corpus/$$target \
			$${dict:+-dict=$$dict} -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
			-artifact_prefix=.build/fuzz-findings/$$target/ -print_final_stats=1 2>&1 | grep -E "^#[0-9]+ +DONE|stat::|ERROR|SUMMARY|Test unit written" ; \
		test -z "$$(ls .build/fuzz-findings/$$target)" || { echo "findings in .build/fuzz-findings/$$target"; exit 1; }; \
	done

# The Python exporter (python/, pip install ./python) and its tests against scikit-learn, in a virtual
# environment under .build made once; PyTorch and Keras tests run too where those are installed in it
# (.build/python-venv/bin/pip install torch keras jax).
PYTHON_VENV := .build/python-venv
$(PYTHON_VENV)/.installed:
	python3 -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install -q numpy scikit-learn joblib pandas pytest onnx onnxruntime skl2onnx
	touch $@

check-python: $(PYTHON_VENV)/.installed
	$(PYTHON_VENV)/bin/pip install -q --no-deps --force-reinstall ./python
	cd python && DISTILL_BINARY=$(CURDIR)/.build/debug/distill ../$(PYTHON_VENV)/bin/python -m pytest -q -p no:cacheprovider \
		-W ignore::DeprecationWarning -W "ignore::sklearn.exceptions.ConvergenceWarning" tests

# The JSON Schema against every shipped model and the decoder's own verdicts (needs python3 jsonschema).
check-specs:
	@python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install -q jsonschema
	python3 specs/check_schema.py --decoder .build/debug/distill

# The HTML reports and pixel maps rendered in headless Chromium (Debian's chromium, installed when missing):
# the breast-cancer compare report with its "Inside the network" section, the digits sample's neuron page,
# and its explain and sensitivity pixel maps (SVG, also parsed as XML). Fails on any console error, malformed
# SVG or an empty screenshot; the
# screenshots go to .build/report/*.png.
REPORT_PAGES := report neurons explain-pixels sensitivity-pixels
check-report: release
	@command -v chromium >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)
	mkdir -p .build/report
	.build/release/distill compare samples/breast_cancer/model.json --data samples/breast_cancer/train.csv \
		--test samples/breast_cancer/test.csv --label diagnosis --report .build/report/report.html --inside > /dev/null
	.build/release/distill neurons samples/digits/model.json --data samples/digits/train.csv --label digit --groups 4 \
		--report .build/report/neurons.html -o /dev/null
	.build/release/distill explain samples/digits/model.json --row samples/digits/test.csv --data samples/digits/train.csv \
		--label digit --background-rows 50 --pixels .build/report/explain-pixels.svg -o /dev/null
	.build/release/distill sensitivity samples/digits/model.json --data samples/digits/test.csv \
		--pixels .build/report/sensitivity-pixels.svg -o /dev/null
	python3 -c "import sys, xml.etree.ElementTree as tree; [tree.parse(path) for path in sys.argv[1:]]" .build/report/*.svg
	@for page in $(REPORT_PAGES); do \
		file=$$(ls .build/report/$$page.html .build/report/$$page.svg 2>/dev/null | head -1); \
		chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2600 --enable-logging=stderr --v=0 \
			--screenshot=.build/report/$$page.png file://$(CURDIR)/$$file 2> .build/report/$$page.log; \
		if grep -E "CONSOLE|Uncaught" .build/report/$$page.log; then echo "console errors in $$file"; exit 1; fi; \
		test -s .build/report/$$page.png || { echo "no screenshot of $$file"; exit 1; }; \
		echo "rendered without console errors: $$file -> .build/report/$$page.png"; \
	done

# The DocC documentation of the Distill library (Sources/Distill/Distill.docc and the doc comments), built with
# swift-docc-plugin into .build/docs; any DocC warning fails it.
docs: deps
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target Distill \
		--output-path .build/docs --warnings-as-errors
	@echo "documentation: .build/docs (open index.html through a web server, e.g. python3 -m http.server -d .build/docs)"

# The peers of the benchmarks (numpy, scikit-learn, LightGBM, SALib, orjson, imodels, wittgenstein) live in a virtual
# environment under .build, made once.
BENCH_VENV := .build/bench-venv
$(BENCH_VENV)/.installed:
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q numpy scikit-learn lightgbm SALib orjson pandas imodels six wittgenstein
	touch $@

# Speed benchmarks (release build); figures are printed, never asserted in tests. Benchmarks/performance.py
# prints distill / peer ratios on the same generated work (its peers run without OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE in their environment) and exits non-zero when a target is missed.
bench: deps $(BENCH_VENV)/.installed
	$(SWIFT) build -c release --product DistillBench
	$(SWIFT) build -c release --product distill
	.build/release/DistillBench --out .build/bench
	python3 Benchmarks/compare_sklearn.py .build/bench
	.build/release/distill samples/breast_cancer/model.json --data samples/breast_cancer/train.csv --test samples/breast_cancer/test.csv \
		--max-depth 8 --swift .build/bench/BenchSurrogate.swift --type-name BenchSurrogate -o .build/bench/rules.txt
	swiftc -O -swift-version 6 .build/bench/BenchSurrogate.swift Benchmarks/GeneratedSwift/main.swift -o .build/bench/generated-bench
	.build/bench/generated-bench .build/bench/bc_rows.f64 30 $$(cat .build/bench/network_ns.txt)
	python3 Benchmarks/compare_rules.py --binary .build/release/distill
	python3 Benchmarks/compare_oracle.py --binary .build/release/distill
	$(BENCH_VENV)/bin/python Benchmarks/compare_fidelity.py --binary .build/release/distill
	python3 Benchmarks/compare_sobol.py --binary .build/release/distill
	python3 Benchmarks/prune_table.py --binary .build/release/distill
	$(BENCH_VENV)/bin/python Benchmarks/performance.py --bench .build/release/DistillBench --binary .build/release/distill
	$(BENCH_VENV)/bin/python Benchmarks/cli_scale.py --binary .build/release/distill --rows 1000000

# Regenerates the samples (needs scikit-learn, see samples/train.py).
samples:
	python3 samples/train.py

clean:
	rm -rf .build rules.txt result.json
