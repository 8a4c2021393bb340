package io.chat.common.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chat.common.messaging.MessageOperation.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static final MessageOperation CREATE = new MessageOperation(Type.CREATE, 1, 2, 3, 4, 5, "héllo 👋", 6, "ada");
    private static final MessageOperation DELETE = new MessageOperation(Type.DELETE, 1, 2, 3, 4, 7, null, 8, null);

    @Test
    void shouldSplitAMessageOfManyOperationsIntoTheirPayloadsInOrder() throws Exception {
        List<byte[]> payloads = MessageCodec.split(MessageCodec.join(
                List.of(MessageCodec.encode(CREATE), MessageCodec.encode(DELETE), MessageCodec.encode(CREATE))));

        assertEquals(3, payloads.size());
        assertEquals(List.of(CREATE, DELETE, CREATE), List.of(MessageCodec.decode(payloads.get(0)),
                MessageCodec.decode(payloads.get(1)), MessageCodec.decode(payloads.get(2))));
        assertArrayEquals(MessageCodec.encode(DELETE), payloads.get(1), "each as one operation of its own");
    }

    @Test
    void shouldTakeAMessageOfOneOperationAsItCame() throws Exception {
        byte[] single = MessageCodec.encode(CREATE);

        List<byte[]> payloads = MessageCodec.split(single);

        assertEquals(1, payloads.size());
        assertArrayEquals(single, payloads.get(0));
        assertEquals(CREATE, MessageCodec.decode(payloads.get(0)));
    }

    @Test
    void shouldKeepWhatIsNotAnArrayOfJsonWholeForDecodeToRefuse() {
        byte[] truncated = "  [{\"type\": \"CREATE\"".getBytes(StandardCharsets.UTF_8);
        byte[] text = "not json".getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(truncated, MessageCodec.split(truncated).get(0));
        assertEquals(1, MessageCodec.split(truncated).size());
        assertArrayEquals(text, MessageCodec.split(text).get(0));
        assertThrows(MessageCodec.InvalidPayloadException.class, () -> MessageCodec.decode(truncated));
        assertEquals(List.of(), MessageCodec.split(" []".getBytes(StandardCharsets.UTF_8)));
        assertEquals("[]", new String(MessageCodec.join(List.of()), StandardCharsets.UTF_8));
    }

    @Test
    void shouldNeverReadPartOfAMessageAndDropTheRest() {
        byte[] two = (new String(MessageCodec.join(List.of(MessageCodec.encode(CREATE))), StandardCharsets.UTF_8)
                + " [" + new String(MessageCodec.encode(DELETE), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
        byte[] objectAndJunk = (new String(MessageCodec.encode(CREATE), StandardCharsets.UTF_8) + "junk").getBytes(StandardCharsets.UTF_8);

        assertEquals(1, MessageCodec.split(two).size(), "whole, so that decode refuses it");
        assertThrows(MessageCodec.InvalidPayloadException.class, () -> MessageCodec.decode(MessageCodec.split(two).get(0)));
        assertThrows(MessageCodec.InvalidPayloadException.class, () -> MessageCodec.decode(objectAndJunk));
    }

    @Test
    void shouldRefuseEachElementThatIsNotAWellFormedOperationOnItsOwn() throws Exception {
        List<byte[]> payloads = MessageCodec.split("[42, {\"type\": \"CREATE\"}, null]".getBytes(StandardCharsets.UTF_8));

        assertEquals(3, payloads.size());
        for (byte[] payload : payloads) {
            assertThrows(MessageCodec.InvalidPayloadException.class, () -> MessageCodec.decode(payload));
        }
    }
}
