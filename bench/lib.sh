# Shared by the benchmark scripts (sourced, from the project's root).

# bench_build LOG: compiles the service and the benchmark-only classes (test sources) and writes
# their class path to target/bench-classpath.txt, unless BENCH_SKIP_BUILD=1; prints the build's
# output and exits if it fails. Then sets CLASSPATH_ARG for `java -cp`.
bench_build() {
	if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
		printf '%s building\n' "$(date +%H:%M:%S)" >&2
		./mvnw -B -q -DskipTests test-compile dependency:build-classpath \
			-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >"$1" 2>&1 \
			|| { cat "$1"; exit 1; }
	fi
	CLASSPATH_ARG="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
}

# The class path of the benchmark build in another worktree (absolute), built there first:
# for bench/ab.sh's BENCH_A_CLASSPATH, to measure two commits interleaved.
bench_classpath_of() {
	(cd "$1" && ./mvnw -B -q -DskipTests test-compile dependency:build-classpath \
		-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null 2>&1 \
		&& echo "$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-classpath.txt)")
}
