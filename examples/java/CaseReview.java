// SPDX-License-Identifier: MIT
//
// CaseReview: reads a project application, evaluates it under the Beijing policy (or another
// policy file) and prints what a case officer needs: eligibility, the subsidy to the fen, and
// every finding with its citation.
//
//   java -cp build/bindings/java/embedsvc.jar:build/bindings/java CaseReview examples/projects/capped-large-complex.json
//   java -cp … CaseReview [--lang zh|en] [--policy POLICY.json] PROJECT.json
//
// embedsvc.jar carries its JNI library: the jar copied alone into a directory with this class runs it
// as `java -cp embedsvc.jar:. CaseReview PROJECT.json` (bindings/java/tests LoaderTest does exactly that).
//
// Exit status: 0 eligible, 1 not eligible, 2 bad input (as `embedsvc check`).
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.embedsvc.EmbedsvcException;
import org.embedsvc.Finding;
import org.embedsvc.FunctionResult;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;
import org.embedsvc.ServiceClass;

public final class CaseReview {
    private CaseReview() {
    }

    public static void main(String[] args) {
        boolean zh = true;
        Path policyFile = null;
        Path projectFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--lang") && i + 1 < args.length) {
                zh = !args[++i].equals("en");
            } else if (args[i].equals("--policy") && i + 1 < args.length) {
                policyFile = Paths.get(args[++i]);
            } else {
                projectFile = Paths.get(args[i]);
            }
        }
        if (projectFile == null) {
            System.err.println("usage: CaseReview [--lang zh|en] [--policy POLICY.json] PROJECT.json");
            System.exit(2);
        }
        // Chinese text prints right whatever the locale of the terminal.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

        int status;
        try (Policy policy = policyFile == null ? Policy.defaultPolicy() : Policy.load(policyFile)) {
            status = review(policy, projectFile, out, zh);
        } catch (EmbedsvcException | IOException e) {
            status = fail(policyFile, e);
        }
        System.exit(status);
    }

    /** Evaluates one project file and prints the review; returns the exit status. */
    private static int review(Policy policy, Path file, PrintStream out, boolean zh) {
        try (Project project = Project.load(file); Result result = policy.evaluate(project)) {
            out.printf("%s %s — %s %s%n", zh ? "项目" : "Project", result.projectId(), zh ? "政策" : "policy",
                    policy.id());
            out.printf("%s: %s%n", zh ? "符合申报条件" : "Eligible", yesNo(result.eligible(), zh));
            out.printf("%s: %s%n", zh ? "符合补助条件" : "Subsidy eligible", yesNo(result.subsidyEligible(), zh));

            out.println(zh ? "\n功能" : "\nFunctions");
            for (FunctionResult f : result.functions()) {
                ServiceClass c = f.serviceClass();
                out.printf("  %2d  %-16s %-13s %s %14s  %s %12s%n", f.index(),
                        f.scenario() == null ? "?" : f.scenario(), c == null ? "?" : c.code(),
                        zh ? "投资" : "investment", yuan(f.investmentFen()), zh ? "补助" : "subsidy",
                        yuan(f.subsidyFen()));
            }

            out.println(zh ? "\n发现" : "\nFindings");
            if (result.findings().isEmpty()) {
                out.println(zh ? "  （无）" : "  (none)");
            }
            for (Finding f : result.findings()) {
                out.printf("  [%s] %s%s%s: %s%n", f.severity().code(), f.code(),
                        f.isProjectFinding() ? "" : (zh ? " 功能 " : " function ") + f.function(),
                        f.cite() == null ? "" : " (" + f.cite() + ")", zh ? f.messageZh() : f.messageEn());
            }

            out.printf("%n%s: %s %s%s%n", zh ? "补助合计" : "Total subsidy", yuan(result.totalFen()),
                    zh ? "元" : "yuan", result.capped() ? (zh ? "（已达上限）" : " (capped)") : "");
            return result.eligible() ? 0 : 1;
        } catch (EmbedsvcException | IOException e) {
            return fail(file, e);
        }
    }

    /** Prints an input error like `embedsvc check` does, e.g. "p.json:4:2: parse.syntax: … (at /id)". */
    private static int fail(Path file, Exception e) {
        String where = file == null ? "<default policy>" : file.toString();
        if (e instanceof EmbedsvcException) {
            System.err.println(where + (((EmbedsvcException) e).line() > 0 ? ":" : ": ") + e.getMessage());
        } else {
            System.err.println(where + ": " + e);
        }
        return 2;
    }

    /** Fen as yuan with two decimals, e.g. 187640000 → "1876400.00". */
    private static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    private static String yesNo(boolean b, boolean zh) {
        return zh ? (b ? "是" : "否") : (b ? "yes" : "no");
    }
}
