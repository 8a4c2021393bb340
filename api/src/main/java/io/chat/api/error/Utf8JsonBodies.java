package io.chat.api.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A JSON body must be well-formed UTF-8 (RFC 8259). Jackson is lenient where it matters: it decodes
 * overlong forms ("\xC0\xAF" becomes "/") and code points past U+10FFFF into other characters, and
 * takes a body with zero bytes for UTF-16 or UTF-32. Text that would not come back as sent is refused
 * here instead. A zero byte is never part of UTF-8 JSON: it would have to be escaped.
 */
@Provider
public class Utf8JsonBodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!MediaType.APPLICATION_JSON_TYPE.isCompatible(context.getMediaType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        if (body.length == 0) {
            return null; // no body, as when there is nothing to read
        }
        if (!isUtf8Json(body)) {
            throw new InvalidRequestException(null, "request body is not well-formed UTF-8");
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    private static boolean isUtf8Json(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
