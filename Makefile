# Dossier: set up, build, test and demo on Debian 12.
#   make demo   install dependencies, build, run the demo on the bundled samples
#   make test   install dependencies, build, run the whole test suite
BUILD ?= build
JOBS ?= $(shell nproc)
DEMO_ARCHIVE ?= $(CURDIR)/demo-archive
SHARED ?= $(shell [ -d $(CURDIR)/../shared/corpus ] && echo $(CURDIR)/../shared || echo /work/shared)

.PHONY: all deps build test demo bench bench-accuracy bench-zh-models clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && OMP_THREAD_LIMIT=1 ctest --output-on-failure -j $(JOBS) --timeout 900

demo: build
	DOSSIER=$(BUILD)/cli/dossier SAMPLES=$(BUILD)/samples/pages \
	  DEMO_ARCHIVE=$(DEMO_ARCHIVE) ./samples/demo.sh

bench: build
	./scripts/install-deps.sh bench
	/usr/bin/python3 bench/throughput.py $(BUILD)/cli/dossier

bench-accuracy: build
	./scripts/install-deps.sh bench
	/usr/bin/python3 bench/accuracy.py $(BUILD)/cli/dossier

# Chinese model combinations through the pipeline (docs/ocr-models.md).
bench-zh-models: build
	./scripts/install-deps.sh bench
	/usr/bin/python3 bench/zh_models.py $(BUILD)/cli/dossier --groups zh-synth,tesseract-test

clean:
	rm -rf $(BUILD) $(DEMO_ARCHIVE) $(DEMO_ARCHIVE)-exported

# Paper originals at archive scale: 100,000 originals in 2,000 boxes.
.PHONY: bench-originals
bench-originals: build
	$(BUILD)/bench/bench_originals

# Search at scale, on SQLite and on a private PostgreSQL cluster in the same
# run: PAGES=1000000 by default (takes a while); e.g.
#   make bench-search PAGES=100000
PAGES ?= 1000000
.PHONY: bench-search
bench-search: build
	cmake --build $(BUILD) --target search_bench dossier -j $(JOBS)
	./scripts/search-bench.sh $(BUILD)/bench/search_bench $(PAGES) $(BUILD)/bench-search
	./bench/workers.py $(BUILD)/cli/dossier --pages $(WORKER_PAGES)

# Pages per minute of one scan station beside one, two and three workers
# sharing a PostgreSQL queue, and the 1-worker case on SQLite
# (bench/workers.py; docs/workers.md). WORKER_PAGES=0: every corpus page.
WORKER_PAGES ?= 24
.PHONY: bench-workers
bench-workers: build
	cmake --build $(BUILD) --target dossier -j $(JOBS)
	./bench/workers.py $(BUILD)/cli/dossier --pages $(WORKER_PAGES)

# The server under load: wrk at 50 connections against search, previews and
# documents of a 1,000-document archive while an ingest runs.
.PHONY: bench-server
bench-server: build
	./scripts/install-deps.sh bench
	cmake --build $(BUILD) --target server_seed -j $(JOBS)
	./bench/server_bench.sh $(BUILD)/cli/dossier $(BUILD)/bench/server_seed \
	  $(BUILD)/samples/pages $(SHARED)/corpus 1000
