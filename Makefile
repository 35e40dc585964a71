# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   start the app (and its open-data API) on an embedded SQLite database with the demo data and accounts
#   make test  run the linter and every test (PostgreSQL too when TEST_DATABASE_URL is set)
PYTHON ?= python3.11
VENV ?= .venv
PORT ?= 8501
PYTEST_ARGS ?= -n 2  # two workers (pytest-xdist); PYTEST_ARGS="-n0 tests/x.py" runs one file alone
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test browser clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# asgi.py: the app, the public pages and the open-data API (/api) on one port (st.App with its routes).
run: $(STAMP)
	RT_DEMO=$${RT_DEMO:-1} $(BIN)/streamlit run asgi.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

browser:
	@command -v chromium >/dev/null 2>&1 || ( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ) || \
		echo "chromium is missing: install Debian's chromium package for the browser tests"

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The catalogues brought up to date with the code and locales/incoming/*.json, with their statistics (README
# "Languages").
translations: $(STAMP)
	$(BIN)/python -m locales.build

clean:
	rm -rf $(VENV) data .pytest_cache
