// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/** Writes Java values as JSON text for the library (the changes of {@link Policy#derive(Map)}). */
final class JsonText {
    private JsonText() {
    }

    /**
     * @param value null, a String, Boolean, integer Number, Map with String (or {@link ServiceClass})
     *        keys, Collection, array, or one of the enums of this package (written as its code)
     * @return its JSON text
     * @throws IllegalArgumentException for any other value, a non-finite or fractional number
     */
    static String of(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, String path) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            string(sb, (String) v);
        } else if (v instanceof Boolean) {
            sb.append(v.toString());
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            sb.append(v.toString());
        } else if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            try {
                sb.append(d.toBigIntegerExact().toString());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("at " + (path.isEmpty() ? "/" : path) + ": " + d
                        + " is not an integer (amounts are integers of fen, rates of basis points)", e);
            }
        } else if (v instanceof ServiceClass) {
            string(sb, ((ServiceClass) v).code());
        } else if (v instanceof Severity) {
            string(sb, ((Severity) v).code());
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                Object k = e.getKey();
                String key = k instanceof ServiceClass ? ((ServiceClass) k).code() : k instanceof String ? (String) k : null;
                if (key == null) {
                    throw new IllegalArgumentException("at " + (path.isEmpty() ? "/" : path)
                            + ": a key is a String or a ServiceClass, not " + (k == null ? "null" : k.getClass().getName()));
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, key);
                sb.append(':');
                write(sb, e.getValue(), path + "/" + key.replace("~", "~0").replace("/", "~1"));
            }
            sb.append('}');
        } else if (v instanceof Collection) {
            sb.append('[');
            int i = 0;
            for (Object o : (Collection<?>) v) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, o, path + "/" + i++);
            }
            sb.append(']');
        } else if (v instanceof Object[]) {
            write(sb, java.util.Arrays.asList((Object[]) v), path);
        } else {
            throw new IllegalArgumentException("at " + (path.isEmpty() ? "/" : path) + ": " + v.getClass().getName()
                    + " cannot be written as JSON (use a String, Boolean, integer, Map, List or null)");
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"':
                sb.append("\\\"");
                break;
            case '\\':
                sb.append("\\\\");
                break;
            case '\n':
                sb.append("\\n");
                break;
            case '\r':
                sb.append("\\r");
                break;
            case '\t':
                sb.append("\\t");
                break;
            default:
                if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
