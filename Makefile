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

messages:  ## rebuild the English translation catalogue
	.venv/bin/wenku manage makemessages -l en -i .venv -i "*/tests/*" -i bench -i data -i scripts && .venv/bin/python scripts/translate_en.py wenku/locale/en/LC_MESSAGES/django.po && .venv/bin/wenku manage compilemessages -i .venv
