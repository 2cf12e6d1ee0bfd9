# The README's commands. Everything else is in scripts/ and harness/.
.PHONY: run test bench lint format messages mail
NAME ?= checkin_burst
DEMO ?= 1

run:        ## the whole system with demo data on SQLite: web + websockets + worker + beat + Redis (DEMO=0: none)
	DEMO=$(DEMO) scripts/run.sh

mail:       ## the mail `make run` caught (var/mail/): make mail [N=3 shows message 3]
	@DEBUG=1 python3 -m uv run --frozen python manage.py read_mail $(N)

test:       ## set up, then all tests on real PostgreSQL and Redis, plus a SQLite smoke pass
	scripts/test.sh

bench:      ## one benchmark: make bench NAME=checkin_burst [ARGS="--clients 50"]
	scripts/bootstrap.sh test
	UV_PYTHON=$$(python3 -c "import sys; print(sys.executable)") python3 -m uv run --frozen python bench/$(NAME).py $(ARGS)

lint:
	python3 -m uv run --frozen ruff check .

format:
	python3 -m uv run --frozen ruff check --fix .

# The same extraction as tests/i18n/test_catalogues.py: test and tool code is not the interface.
messages:   ## refresh the English catalogues after changing strings (then fill the new msgstr)
	DEBUG=1 python3 -m uv run --frozen python manage.py makemessages -l en --no-obsolete --ignore=.venv \
		--ignore=var --ignore=tests --ignore=bench --ignore=harness --ignore=test-artifacts
