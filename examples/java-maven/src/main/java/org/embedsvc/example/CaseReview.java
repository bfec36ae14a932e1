// SPDX-License-Identifier: MIT
package org.embedsvc.example;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.embedsvc.Embedsvc;
import org.embedsvc.EmbedsvcException;
import org.embedsvc.EmbedsvcParseException;
import org.embedsvc.Finding;
import org.embedsvc.Policy;
import org.embedsvc.Project;
import org.embedsvc.Result;

/**
 * The case-review command of a case-management backend: reviews project applications under the
 * Beijing policy (or a policy file) and prints, per application, the decision a case officer
 * needs, with every finding and its citation.
 *
 * <pre>
 * case-review [--policy POLICY.json] [--json] [--lang zh|en] PROJECT.json...
 * </pre>
 *
 * With {@code --json} it prints the {@code embedsvc.result/1} document of each project instead, one
 * per line. Exit status: 0 all eligible, 1 some not eligible, 2 an application or the policy is
 * bad input (the others are still reviewed).
 */
public final class CaseReview {
    private CaseReview() {
    }

    public static void main(String[] args) {
        Path policyFile = null;
        boolean json = false;
        boolean en = false;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--policy") && i + 1 < args.length) {
                policyFile = Paths.get(args[++i]);
            } else if (args[i].equals("--json")) {
                json = true;
            } else if (args[i].equals("--lang") && i + 1 < args.length) {
                en = args[++i].equals("en");
            } else if (args[i].equals("--version")) {
                System.out.println("case-review 1.0.0, embedsvc " + Embedsvc.version() + " (" + Embedsvc.jniLibrary() + ")");
                return;
            } else {
                files.add(Paths.get(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: case-review [--policy POLICY.json] [--json] [--lang zh|en] PROJECT.json...");
            System.exit(2);
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int status = 0;
        try (Policy policy = policyFile == null ? Policy.defaultPolicy() : Policy.load(policyFile);
                Project project = new Project();
                Result result = new Result()) {
            for (Path file : files) {
                try {
                    result.evaluate(policy, project.parse(java.nio.file.Files.readAllBytes(file)));
                } catch (EmbedsvcException | IOException e) {
                    System.err.println(describe(file, e));
                    status = 2;
                    continue;
                }
                if (!result.isEligible() && status == 0) {
                    status = 1;
                }
                if (json) {
                    out.println(result.toJson());
                    continue;
                }
                out.printf("%s\t%s\t%s\t%s %s%n", file.getFileName(), result.getProjectId(),
                        result.isEligible() ? (en ? "eligible" : "符合条件") : (en ? "not eligible" : "不符合条件"),
                        BigDecimal.valueOf(result.getTotalFen(), 2).toPlainString(), en ? "yuan" : "元");
                for (Finding f : result.getFindings()) {
                    out.printf("\t[%s] %s%s: %s%n", f.getSeverity().code(), f.getCode(),
                            f.getCite() == null ? "" : " (" + f.getCite() + ")", en ? f.getMessageEn() : f.getMessageZh());
                }
            }
        } catch (EmbedsvcException | IOException e) {
            System.err.println(describe(policyFile, e));
            status = 2;
        }
        System.exit(status);
    }

    /** "file:3:7: parse.syntax: …" for bad JSON, "file: policy.invalid: … (at /rules/…)" otherwise. */
    private static String describe(Path file, Exception e) {
        String where = file == null ? "<policy>" : file.toString();
        if (e instanceof EmbedsvcParseException && ((EmbedsvcParseException) e).line() > 0) {
            return where + ":" + e.getMessage();
        }
        return where + ": " + e.getMessage();
    }
}
