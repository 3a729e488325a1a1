# hookgate: make run | make test | make jar | make bench | make check-config
MVN ?= mvn -B -ntp
JAR := target/hookgate.jar
SOURCES := $(shell find src conf -type f 2>/dev/null) pom.xml

.PHONY: run test jar bench check-config clean

$(JAR): $(SOURCES)
	$(MVN) -DskipTests package

jar: $(JAR)

## run the gateway with conf/hookgate.yaml (builds the jar if needed)
run: $(JAR)
	java -jar $(JAR) --config conf/hookgate.yaml

## every test: unit, component, end-to-end against the fat jar
test:
	$(MVN) verify

## validate a config file: make check-config CONFIG=conf/hookgate.yaml
check-config: $(JAR)
	java -jar $(JAR) --check-config $(or $(CONFIG),conf/hookgate.yaml)

## load benchmarks (not part of make test); results in bench/results/
bench: $(JAR)
	bench/run.sh

clean:
	$(MVN) clean
