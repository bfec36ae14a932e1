// SPDX-License-Identifier: MIT
package org.embedsvc;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Text crossing to and from C: always standard UTF-8 bytes, never JNI's modified UTF-8. */
final class Utf8 {
    private Utf8() {
    }

    /** Decodes bytes the library returned; null stays null. */
    static String decode(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Encodes text for the library, refusing what is not Unicode (an unpaired surrogate),
     * which {@link String#getBytes} would silently turn into '?'.
     */
    static byte[] encode(String text) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text is not valid Unicode (unpaired surrogate)", e);
        }
    }

    /** Encodes text as a NUL-terminated C string; null stays null. */
    static byte[] cstring(String text) {
        if (text == null) {
            return null;
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("text contains U+0000");
        }
        byte[] b = encode(text);
        return Arrays.copyOf(b, b.length + 1);
    }
}
