// SPDX-License-Identifier: MIT
package org.embedsvc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.embedsvc.Batch;
import org.embedsvc.Policy;
import org.junit.jupiter.api.Test;

/** Batch.run(): JSON Lines streamed through the library's line reader, as {@code embedsvc batch}. */
class BatchTest {
    /** The portfolio with CRLF endings, blank and white-space lines, a bad line, no final newline. */
    private static byte[] mixedInput() throws IOException {
        Path input = Vectors.dir("embedsvc.examples").resolve("portfolio.jsonl");
        String text = new String(Files.readAllBytes(input), StandardCharsets.UTF_8).trim();
        String[] lines = text.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            b.append(lines[i]).append(i % 2 == 0 ? "\r\n" : "\n");
            if (i == 1) {
                b.append("\n \t\r\n\u3000\n{bad\n");
            }
        }
        b.append(lines[0]); // a last line without its newline
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out at most {@code step} bytes per read, as a slow pipe would. */
    private static InputStream trickle(byte[] data, int step) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static byte[] run(Policy policy, InputStream in, Batch.Summary[] summary) throws IOException {
        try (Batch batch = new Batch(policy)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            summary[0] = batch.run(in, out);
            return out.toByteArray();
        }
    }

    @Test
    void runWritesTheBytesOfTheCommandLineTool() throws Exception {
        byte[] data = mixedInput();
        Path file = Files.createTempFile("embedsvc-batch", ".jsonl");
        try {
            Files.write(file, data);
            Vectors.Run cli = Vectors.cli("batch", file.toString());
            assertEquals(1, cli.status); // the bad line
            try (Policy policy = Policy.defaultPolicy()) {
                Batch.Summary[] s = new Batch.Summary[1];
                byte[] whole = run(policy, new ByteArrayInputStream(data), s);
                assertEquals(cli.out, new String(whole, StandardCharsets.UTF_8));
                assertTrue(cli.out.contains("{\"schema\":\"embedsvc.result/1\",\"line\":6,\"error\":"), cli.out);
                String[] outLines = cli.out.split("\n");
                assertEquals(outLines.length, s[0].projects() + s[0].errors());
                long errorLines = Arrays.stream(outLines).filter(l -> l.contains(",\"error\":{")).count();
                assertEquals(errorLines, s[0].errors());
                assertTrue(errorLines >= 1);
                assertEquals(data.length > 0 ? new String(data, StandardCharsets.UTF_8).split("\n", -1).length : 0,
                        s[0].lines());
                for (int step : new int[] {1, 2, 7, 4096}) {
                    Batch.Summary[] t = new Batch.Summary[1];
                    assertTrue(Arrays.equals(whole, run(policy, trickle(data, step), t)), "pieces of " + step);
                    assertEquals(s[0].toString(), t[0].toString());
                }
            }
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aLineOverTheLimitIsAnErrorLineAndTheBatchGoesOn() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        byte[] longLine = new byte[(17 << 20)];
        Arrays.fill(longLine, (byte) 'a');
        longLine[0] = '{';
        in.write(longLine);
        in.write("\n\n{\"id\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
        try (Policy policy = Policy.defaultPolicy(); Batch batch = new Batch(policy)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Batch.Summary s = batch.run(new ByteArrayInputStream(in.toByteArray()), out);
            String[] lines = new String(out.toByteArray(), StandardCharsets.UTF_8).split("\n");
            assertEquals(2, lines.length);
            assertEquals("{\"schema\":\"embedsvc.result/1\",\"line\":1,\"error\":{\"code\":\"parse.limit\","
                    + "\"message\":\"document larger than 16777216 bytes (16 MiB)\",\"path\":\"\",\"line\":1,"
                    + "\"column\":1}}", lines[0]);
            assertTrue(lines[1].startsWith("{\"schema\":\"embedsvc.result/1\",\"line\":3,"), lines[1]);
            assertEquals(2, s.errors());
            assertEquals(3, s.lines());
        }
    }

    @Test
    void runContinuesTheLineNumbersOfTheBatch() throws Exception {
        try (Policy policy = Policy.defaultPolicy(); Batch batch = new Batch(policy)) {
            assertEquals(null, batch.line(""));
            assertNotNull(batch.line("{bad"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Batch.Summary s = batch.run(new ByteArrayInputStream("{bad\n".getBytes(StandardCharsets.UTF_8)), out);
            assertTrue(new String(out.toByteArray(), StandardCharsets.UTF_8).startsWith(
                    "{\"schema\":\"embedsvc.result/1\",\"line\":3,"));
            assertEquals(3, s.lines());
            assertEquals(2, s.errors());
            assertEquals(0, batch.run(new ByteArrayInputStream(new byte[0]), out).projects());
            assertThrows(NullPointerException.class, () -> batch.run(null, out));
        }
    }
}
