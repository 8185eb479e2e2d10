# The two commands of the README. Both install what they need on a fresh machine.
.PHONY: run test build bench clean reset-db

run:    ## set up, build, start PostgreSQL, the local broker and the four services
	scripts/run-local.sh

test:   ## set up, build, start PostgreSQL and the broker, run every test
	scripts/test.sh

build:
	scripts/setup.sh && swift build

bench:  ## benchmark the Kafka and PostgreSQL layers against raw C/pgbench
	scripts/bench.sh

reset-db:  ## drop and re-create the local services' databases (make run seeds them again)
	scripts/dev-postgres.sh reset

clean:
	scripts/dev-postgres.sh stop || true
	rm -rf .build .dev
