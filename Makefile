# Wenku — the two commands: `make run` and `make test`.
.PHONY: run test install lint format messages

run:  ## install everything and serve the site with demo content
	scripts/bootstrap.sh
	.venv/bin/wenku serve --demo

test:  ## install everything and run ruff + the suite on SQLite and PostgreSQL
	scripts/test.sh

install:
	scripts/bootstrap.sh

lint:
	.venv/bin/ruff check wenku bench && .venv/bin/ruff format --check wenku bench

format:
	.venv/bin/ruff format wenku bench && .venv/bin/ruff check --fix wenku bench

messages:  ## add new message ids to the English catalogue (.po, edited by hand) and compile it
	.venv/bin/wenku manage makemessages -l en -i .venv -i "*/tests/*" -i bench -i data -i scripts && .venv/bin/wenku manage compilemessages -i .venv
