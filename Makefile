# hookgate: make run | make demo | make test | make jar | make bench | make check-config | make browser-deps
MVN ?= mvn -B -ntp
JAR := target/hookgate.jar
SOURCES := $(shell find src conf -path src/test/browser/node_modules -prune -o -type f -print 2>/dev/null) pom.xml
BROWSER_MODULES := src/test/browser/node_modules/.package-lock.json

.PHONY: run demo test jar bench bench-pg check-config clean browser-deps

$(JAR): $(SOURCES)
	$(MVN) -DskipTests package

jar: $(JAR)

## run the gateway with conf/hookgate.yaml (builds the jar if needed)
run: $(JAR)
	java -XX:+ExitOnOutOfMemoryError -jar $(JAR) --config conf/hookgate.yaml

## the gateway with conf/demo.yaml on :8080 and a local chat preview on :8065 (http://127.0.0.1:8065/)
## that prints and shows every post; HOOKGATE_HTTP_PORT / HOOKGATE_DEMO_CHAT_PORT move them
demo: $(JAR)
	@java -cp $(JAR) dev.hookgate.demo.ChatPreview & preview=$$!; \
	trap 'kill $$preview 2>/dev/null' EXIT INT TERM; \
	java -jar $(JAR) --config conf/demo.yaml

## every test: unit, component, end-to-end against the fat jar (under CI=true, browser-deps first)
test: $(if $(filter true,$(CI)),browser-deps)
	$(MVN) verify

## what the admin page's browser test (AdminPageIT) needs: Debian's chromium, playwright-core from npm
browser-deps: $(BROWSER_MODULES)
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

$(BROWSER_MODULES): src/test/browser/package.json src/test/browser/package-lock.json
	npm ci --prefix src/test/browser --no-audit --no-fund
	touch $@

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
