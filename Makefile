# The two commands of the README. Both install what they need on a fresh machine.
.PHONY: run test build bench clean reset-db demo-inspection demo-scheduling

run:    ## set up, build, start PostgreSQL, the local broker and the four services
	scripts/run-local.sh

test:   ## set up, build, start PostgreSQL and the broker, run every test
	scripts/test.sh

build:
	scripts/setup.sh && swift build

bench:  ## benchmark the Kafka and PostgreSQL layers against raw C/pgbench
	scripts/bench.sh

# The walkthroughs of issues 12 and 11, against a running `make run` (same
# SJ_*_HTTP_PORT / SJ_KAFKA_PORT variables); README, "Walkthroughs".
demo-inspection:  ## hotline complaints raise a warning 蓝→红 into the liaisons' inboxes; a 双随机 draw re-runs
	scripts/demo-inspection.py

demo-scheduling:  ## plenary, minutes, task, overdue, 督办函 into the liaison's inbox
	scripts/demo-scheduling.sh

reset-db:  ## drop and re-create the local services' databases (make run seeds them again)
	scripts/dev-postgres.sh reset

clean:
	scripts/dev-postgres.sh stop || true
	rm -rf .build .dev
