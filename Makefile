# The two commands of the README's Quick start, and a few helpers. Everything goes through
# CMake; this file only installs what is missing and names the usual runs.
JOBS      ?= 2
BUILD     ?= build
ASAN_BUILD ?= $(BUILD)/asan
KT        := $(BUILD)/core/kt

# Debian packages the build and the tests need (pkg-config name, command or header -> package).
# g++, libphonenumber and ICU serve the phone plugin alone (the core is C). Chromium, its
# driver and python3-selenium serve the web face's browser test.
# libxlsxwriter serves the web face's XLSX export. PostgreSQL 15 and libpq serve the second
# store (the pg tests start their own server from /usr/lib/postgresql/15/bin).
DEPS := cmake:cmake pkg-config:pkg-config gcc:gcc sqlite3:sqlite3 clang:clang \
        lua5.4:liblua5.4-dev libcjson:libcjson-dev libutf8proc:libutf8proc-dev \
        cmocka:libcmocka-dev libzip:libzip-dev expat:libexpat1-dev libcurl:libcurl4-openssl-dev \
        csv.h:libcsv-dev asan:libclang-rt-14-dev jq:jq xmllint:libxml2-utils \
        g++:g++ phonenumbers/phonenumberutil.h:libphonenumber-dev icu-uc:libicu-dev \
        libsodium:libsodium-dev libmicrohttpd:libmicrohttpd-dev curl:curl python3:python3 \
        setpriv:util-linux openssl:openssl chromium:chromium chromedriver:chromium-driver \
        selenium/__init__.py:python3-selenium xlsxwriter:libxlsxwriter-dev \
        libpq:libpq-dev /usr/lib/postgresql/15/bin/initdb:postgresql-15

.PHONY: demo test deps build asan fuzz crash fault bench install clean format

## make demo: install what is missing, build, and run the pet-shop story in build/demo
demo: build
	@bash examples/demo.sh $(KT) $(BUILD)/demo

## make test: install what is missing, build with warnings as errors, run every test, then
## run them again under AddressSanitizer and UndefinedBehaviorSanitizer
test: deps
	cmake -S . -B $(BUILD) -DKT_WERROR=ON
	cmake --build $(BUILD) -j$(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) asan

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DKT_WERROR=ON -DKT_ASAN=ON -DKT_UBSAN=ON -DKT_FAULT=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	@# A test that fails is run once more: LeakSanitizer's own tracer has been seen to crash at
	@# exit under load ("Tracer caught signal 11"), a fault of the sanitizer, not of kt. A real
	@# failure (a leak, an overflow, a wrong answer) fails both runs and stops the build.
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -LE crash --repeat until-pass:2

build: deps
	cmake -S . -B $(BUILD)
	cmake --build $(BUILD) -j$(JOBS)

deps:
	@bash .ci/install-deps $(DEPS)

fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(BUILD)/fuzz -DKT_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(BUILD)/fuzz -j$(JOBS)
	bash tests/fuzz/run.sh $(BUILD)/fuzz $${FUZZ_SECONDS:-30}

## make crash: the crash scenarios with 1 000 kills each (KT_CRASH_KILLS to change)
crash: build
	for t in crash_import campaign_crash; do KT_BIN=$(CURDIR)/$(KT) KT_SOURCE_DIR=$(CURDIR) \
	  KT_TEST_TMP=$(CURDIR)/$(BUILD)/tests/tmp KT_PLUGIN_PATH=$(CURDIR)/$(BUILD)/plugins \
	  KT_CRASH_KILLS=$${KT_CRASH_KILLS:-1000} bash tests/e2e/test_$$t.sh || exit 1; done

## make fault: every fault injection point, not samples, under ASan
fault: deps
	cmake -S . -B $(ASAN_BUILD) -DKT_WERROR=ON -DKT_ASAN=ON -DKT_UBSAN=ON -DKT_FAULT=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	for t in $(ASAN_BUILD)/tests/test_fault_*; do KT_FAULT_FULL=1 $$t || exit 1; done

## make bench: every benchmark, then issue 22's table (each row against its baseline in the same
## run, with peak memory) at KT_BENCH_N people (200000; 1000000 the issue's size)
bench: build
	bash tests/bench/run.sh $(BUILD)

install: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX),)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
