// SPDX-License-Identifier: MIT
//
// Per-call cost of Result.evaluate() from Java, to compare with evaluate_bench.c: the same
// project, parsed once, evaluated into one reused result; five rounds of N calls, the fastest
// round reported (the machine's noise only ever adds time).
//
//   java -cp embedsvc.jar:embedsvc-bench.jar EvaluateBench PROJECT.json [N]
import java.nio.file.Paths;

import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;

public final class EvaluateBench {
    private static final int ROUNDS = 5;

    private EvaluateBench() {
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        try (Policy policy = Policy.defaultPolicy();
                Project project = Project.load(Paths.get(args[0]));
                Result result = new Result()) {
            long eligible = 0;
            for (long i = 0; i < n / 2; i++) { // warm-up: the JIT compiles the call path
                result.evaluate(policy, project);
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long t0 = System.nanoTime();
                for (long i = 0; i < n; i++) {
                    result.evaluate(policy, project);
                    eligible += result.eligible() ? 1 : 0;
                }
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("Java  evaluate: %.1f ns/call (best of %d rounds of %d calls; %d eligible, total_fen %d)%n",
                    (double) best / n, ROUNDS, n, eligible, result.totalFen());
        }
    }
}
