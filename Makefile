# Thin targets; the work is done by the scripts in bin/.
.PHONY: setup demo test bench clean

setup:
	bin/setup

demo:
	bin/demo

test:
	bin/test

bench:
	bin/bench

clean:
	bin/pgcluster remove
