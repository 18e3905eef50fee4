# Lingxi: `make run` serves the demo home; `make test` runs every test. Both set up first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
APT_PACKAGES := mosquitto redis-server espeak-ng sox
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup apt run test bench proto lint clean

setup: apt $(STAMP)

# System packages the tests and the service use (the broker for integration tests; espeak-ng and sox
# synthesise the voice tests' commands).
apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip setuptools wheel
	$(PIP) install -q -e '.[dev,llm]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/assistant serve

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench

proto: setup
	$(PY) -m grpc_tools.protoc -Iprotos --python_out=protos --pyi_out=protos --grpc_python_out=protos \
	  protos/lingxi/assistant/v1/assistant.proto

lint: setup
	$(VENV)/bin/ruff check assistant intents skills iot_bridge tests bench

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
