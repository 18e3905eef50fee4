# Lingxi: `make run` serves the demo home; `make test` runs every test. Both set up first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
APT_PACKAGES := mosquitto mosquitto-clients redis-server espeak-ng sox chromium chromium-driver fonts-wqy-microhei
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup apt run test bench soak proto lint clean

setup: apt $(STAMP)
	@echo "setup: ready ($(VENV) is up to date with setup.cfg; apt packages installed)"

# System packages the tests and the service use (the broker for integration tests; espeak-ng and sox
# synthesise the voice tests' commands).
apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "setup: apt packages present ($(APT_PACKAGES))"; else \
	  echo "setup: installing apt packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# One line per step, with its time: the Python step is long (llama-cpp-python builds from source once).
$(STAMP): setup.cfg pyproject.toml
	@if [ -x $(PY) ]; then echo "setup: $(VENV) exists"; else echo "setup: creating $(VENV)"; python3 -m venv $(VENV); fi
	@echo "setup: upgrading pip, setuptools and wheel"; SECONDS=0; \
	$(PIP) install -q --disable-pip-version-check --upgrade pip setuptools wheel && echo "       done in $${SECONDS} s"
	@echo "setup: installing lingxi and its Python packages (~1.5 min; the first time also builds llama-cpp-python: ~6 min on 2 cores)"; \
	SECONDS=0; $(PIP) install -q --disable-pip-version-check -e '.[dev,llm]' && echo "       done in $${SECONDS} s"
	@touch $(STAMP)

run: setup
	$(VENV)/bin/assistant serve

# Lint first: a type or style error fails CI like a failing test.
test: setup lint
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench

# The soak and fault test: SOAK_S seconds (default 600) of traffic while parts fail; figures in bench/results/soak.json
soak: setup
	$(PY) -m bench.soak --seconds $(or $(SOAK_S),600)

proto: setup
	$(PY) -m grpc_tools.protoc -Iprotos --python_out=protos --pyi_out=protos --grpc_python_out=protos \
	  protos/lingxi/assistant/v1/assistant.proto protos/lingxi/skill/v1/skill.proto

lint: setup
	$(VENV)/bin/ruff check assistant intents skills iot_bridge domain testkit tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
