// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One project application (reference §5): parsed from {@code embedsvc.project/1} JSON or built field
 * by field. A project can be parsed into again, reusing its memory.
 *
 * <p><b>Thread safety:</b> use a project from one thread at a time (typically one per request
 * or per worker thread). Its methods are synchronized, so misuse from several threads cannot
 * corrupt native memory, but it gains nothing.
 *
 * <p>Close it when done (try-with-resources); a closed project throws
 * {@link IllegalStateException}.
 */
public final class Project implements AutoCloseable {
    /** The {@code function} argument that addresses the project itself. */
    public static final int PROJECT_LEVEL = EmbedsvcNativeConstants.EMBEDSVC_PROJECT_LEVEL;
    /** The most functions a project may have. */
    public static final int MAX_FUNCTIONS = EmbedsvcNativeConstants.EMBEDSVC_MAX_FUNCTIONS;

    private final NativeState state;

    /** Creates an empty project. */
    public Project() {
        state = new NativeState(this, EmbedsvcNative.embedsvc_java_project_new(),
                EmbedsvcNative::embedsvc_project_free, null);
    }

    /**
     * Parses a project document.
     *
     * @param utf8 the JSON text, UTF-8
     * @return a new project; close it
     * @throws EmbedsvcException the first defect, with its code, line, column and JSON path
     */
    public static Project fromJson(byte[] utf8) {
        Project p = new Project();
        try {
            return p.parse(utf8);
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    /**
     * Parses a project document given as text; see {@link #fromJson(byte[])}.
     *
     * @param json the JSON text
     * @return a new project; close it
     */
    public static Project fromJson(String json) {
        return fromJson(Utf8.encode(json));
    }

    /**
     * Reads and parses a project file; see {@link #fromJson(byte[])}.
     *
     * @param file the file
     * @return a new project; close it
     * @throws IOException when the file cannot be read
     */
    public static Project load(Path file) throws IOException {
        return fromJson(Files.readAllBytes(file));
    }

    /** The handle; the caller holds this object's lock (Result.evaluate does). */
    long ptr() {
        return state.live("Project");
    }

    /**
     * Parses a document into this project, replacing its content. On failure the project is
     * left empty.
     *
     * @param utf8 the JSON text, UTF-8
     * @return this project
     * @throws EmbedsvcException the first defect, with its code, line, column and JSON path
     */
    public synchronized Project parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        EmbedsvcNative.embedsvc_project_parse(ptr(), utf8);
        return this;
    }

    /**
     * Parses a document given as text into this project; see {@link #parse(byte[])}.
     *
     * @param json the JSON text
     * @return this project
     */
    public Project parse(String json) {
        return parse(Utf8.encode(json));
    }

    /**
     * Empties the project, keeping its memory.
     *
     * @return this project
     */
    public synchronized Project clear() {
        EmbedsvcNative.embedsvc_project_clear(ptr());
        return this;
    }

    /**
     * Appends an empty function.
     *
     * @return the new function's index
     * @throws EmbedsvcException ({@code EMBEDSVC_ERANGE}) when the project has {@link #MAX_FUNCTIONS}
     */
    public synchronized int addFunction() {
        long[] index = new long[1];
        Native.check(EmbedsvcNative.embedsvc_project_add_function(ptr(), index));
        return (int) index[0];
    }

    /** @return the number of functions */
    public synchronized int functionCount() {
        return (int) EmbedsvcNative.embedsvc_project_function_count(ptr());
    }

    private void checkTarget(long p, int function, Field field) {
        Objects.requireNonNull(field, "field");
        if (function == PROJECT_LEVEL) {
            if (field.isFunctionField()) {
                throw new IllegalArgumentException(field + " is a field of a function");
            }
            return;
        }
        if (!field.isFunctionField()) {
            throw new IllegalArgumentException(field + " is a field of the project");
        }
        long n = EmbedsvcNative.embedsvc_project_function_count(p);
        if (function < 0 || function >= n) {
            throw new IndexOutOfBoundsException("function " + function + " of " + n);
        }
    }

    /**
     * Sets a project field from text, exactly as the JSON value would be read.
     *
     * @param field a project field
     * @param value the text, e.g. {@code "renovation"} or {@code "3000000.00"}
     * @return this project
     * @throws EmbedsvcException with the code and JSON path a parse would give
     */
    public Project set(Field field, String value) {
        return set(PROJECT_LEVEL, field, value);
    }

    /**
     * Sets a field of a function (or of the project, with {@link #PROJECT_LEVEL}) from text.
     *
     * @param function a function index, or {@link #PROJECT_LEVEL}
     * @param field the field
     * @param value the text
     * @return this project
     * @throws EmbedsvcException with the code and JSON path a parse would give
     */
    public synchronized Project set(int function, Field field, String value) {
        Objects.requireNonNull(value, "value");
        long p = ptr();
        checkTarget(p, function, field);
        EmbedsvcNative.embedsvc_project_set_text(p, function, field.value, Utf8.encode(value));
        return this;
    }

    /**
     * Sets a project field from its integer form (fen, basis points, minutes, 0/1, enum value).
     *
     * @param field a project field
     * @param value the value
     * @return this project
     */
    public Project setInt(Field field, long value) {
        return setInt(PROJECT_LEVEL, field, value);
    }

    /**
     * Sets a field of a function (or of the project) from its integer form.
     *
     * @param function a function index, or {@link #PROJECT_LEVEL}
     * @param field the field
     * @param value the value
     * @return this project
     * @throws EmbedsvcException ({@code parse.value} or a money code) when out of range
     */
    public synchronized Project setInt(int function, Field field, long value) {
        long p = ptr();
        checkTarget(p, function, field);
        EmbedsvcNative.embedsvc_project_set_int(p, function, field.value, value);
        return this;
    }

    /**
     * Removes a field's value.
     *
     * @param function a function index, or {@link #PROJECT_LEVEL}
     * @param field the field
     * @return this project
     */
    public synchronized Project unset(int function, Field field) {
        long p = ptr();
        checkTarget(p, function, field);
        Native.check(EmbedsvcNative.embedsvc_project_unset(p, function, field.value));
        return this;
    }

    /**
     * Reads a text field (text fields and {@code application_date}).
     *
     * @param function a function index, or {@link #PROJECT_LEVEL}
     * @param field the field
     * @return the value, or null when absent or not a text field
     */
    public synchronized String getText(int function, Field field) {
        long p = ptr();
        checkTarget(p, function, field);
        return EmbedsvcNative.embedsvc_project_get_text(p, function, field.value);
    }

    /**
     * Reads a numeric, boolean or enumerated field in its integer form.
     *
     * @param function a function index, or {@link #PROJECT_LEVEL}
     * @param field the field
     * @return the value, or empty when absent
     */
    public synchronized OptionalLong getInt(int function, Field field) {
        long p = ptr();
        checkTarget(p, function, field);
        long[] v = new long[1];
        return Native.check(EmbedsvcNative.embedsvc_project_get_int(p, function, field.value, v)) == 1
                ? OptionalLong.of(v[0]) : OptionalLong.empty();
    }

    /** @return true once {@link #close()} was called */
    public synchronized boolean isClosed() {
        return state.isClosed();
    }

    /** Frees the project's native memory. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        state.close();
    }

    @Override
    public synchronized String toString() {
        return state.describe("Project", true, null, () -> EmbedsvcNative.embedsvc_project_get_text(ptr(),
                PROJECT_LEVEL, Field.ID.value) + ", " + functionCount() + " functions");
    }
}
