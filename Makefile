# The two commands of the README. Both install the environment from uv.lock first.
.PHONY: demo test lint bench schema

# `PORT=8001 make demo` (or `make demo PORT=8001`) serves the demo on another port.
PORT ?= 8000
HOST ?= 127.0.0.1

demo:
	@scripts/bootstrap
	.venv/bin/espace demo --host $(HOST) --port $(PORT)

# Four workers (pytest-xdist): the tests mostly wait on servers, sockets and mails.
test:
	@scripts/bootstrap
	.venv/bin/pytest -n 4

lint:
	@scripts/bootstrap
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/mypy

bench:
	@scripts/bootstrap
	.venv/bin/python -m bench

schema:
	@scripts/bootstrap
	.venv/bin/espace schema export
