# hookgate: make run | make demo | make test | make jar | make deb | make bench | make bench-start | make check-config | make browser-deps
MVN ?= mvn -B -ntp
JAR := target/hookgate.jar
# the AppCDS archive of the jar (a training run, packaging/cds-archive.sh): classes mapped, not loaded one by one
ARCHIVE := target/hookgate.jsa
SOURCES := $(shell find src conf -path src/test/browser/node_modules -prune -o -type f -print 2>/dev/null) pom.xml
BROWSER_MODULES := src/test/browser/node_modules/.package-lock.json

.PHONY: run demo test jar deb deb-check bench bench-start bench-pg check-config clean browser-deps

$(JAR): $(SOURCES)
	$(MVN) -DskipTests package

$(ARCHIVE): $(JAR)
	packaging/cds-archive.sh $(JAR) $(ARCHIVE)

jar: $(JAR) $(ARCHIVE)

## the Debian package target/hookgate_<version>_<arch>.deb (dpkg-deb; see README "Install the Debian package")
deb: $(JAR)
	packaging/deb/build.sh

## as root on a Debian machine: installs the package with apt-get, runs it, removes and purges it (CI runs it)
deb-check: deb
	packaging/deb/check.sh

## run the gateway with conf/hookgate.yaml (builds the jar if needed)
run: $(JAR) $(ARCHIVE)
	java @conf/jvm.options -XX:SharedArchiveFile=$(ARCHIVE) -jar $(JAR) --config conf/hookgate.yaml

## the gateway with conf/demo.yaml on :8080 and a local chat preview on :8065 (http://127.0.0.1:8065/)
## that prints and shows every post; HOOKGATE_HTTP_PORT / HOOKGATE_DEMO_CHAT_PORT move them
demo: $(JAR)
	@java -cp $(JAR) dev.hookgate.demo.ChatPreview & preview=$$!; \
	trap 'kill $$preview 2>/dev/null' EXIT INT TERM; \
	java @conf/jvm.options -jar $(JAR) --config conf/demo.yaml

## every test: unit, component, end-to-end against the fat jar (under CI=true, browser-deps first)
test: $(if $(filter true,$(CI)),browser-deps)
	$(MVN) verify

## what the admin page's browser test (AdminPageIT) needs: Debian's chromium, playwright-core from npm
browser-deps: $(BROWSER_MODULES)
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

$(BROWSER_MODULES): src/test/browser/package.json src/test/browser/package-lock.json
	npm ci --prefix src/test/browser --no-audit --no-fund
	touch $@

## time from launch to ready (/health 200), median of BENCH_STARTS (7) starts, plain java -jar and make run's; bench/results/start.md
bench-start: $(JAR) $(ARCHIVE)
	bench/start.sh

## relay on PostgreSQL vs SQLite, one and two nodes (needs PostgreSQL: BENCH_PG_URI); results in bench/results/latest-pg.md
bench-pg: $(JAR)
	bench/pg.sh

## validate a config file: make check-config CONFIG=conf/hookgate.yaml
check-config: $(JAR)
	java -jar $(JAR) --check-config $(or $(CONFIG),conf/hookgate.yaml)

## load benchmarks of issue 9, the gateway against bare/durable/forward baselines (not part of make test; about 10-12 minutes); results in bench/results/latest.md
bench: $(JAR)
	bench/run.sh

clean:
	$(MVN) clean
