# RiskTerrain — the README's two commands, and their parts.
SWIFT ?= swift
CONFIG ?= release
BIN = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path)/rtm

.PHONY: setup build demo test clean

setup:
	bash scripts/setup.sh

build: setup
	$(SWIFT) build -c $(CONFIG) --product rtm

# Sets up and runs the main job on the bundled sample in data/.
demo: build
	$(BIN) inspect data/*

# Sets up and runs the whole test suite.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build out
