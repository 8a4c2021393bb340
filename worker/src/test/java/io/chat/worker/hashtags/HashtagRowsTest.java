package io.chat.worker.hashtags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.chat.common.messaging.MessageOperation.Type;
import io.chat.worker.message.OperationWriter;
import io.chat.worker.support.Database;
import io.chat.worker.support.TestChat;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** message_hashtags as the real OperationWriter leaves it in the real MariaDB, whatever order operations come in. */
@QuarkusTest
class HashtagRowsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OperationWriter writer;

    private Database db;
    private TestChat chat;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(dataSource);
        chat = TestChat.create(db);
    }

    @Test
    void shouldFollowCreatesEditsAndDeletes() throws Exception {
        writer.apply(List.of(chat.operation(Type.CREATE, 1, 1, "#Release on #Friday"), chat.operation(Type.CREATE, 2, 2, "no tags"),
                chat.operation(Type.CREATE, 3, 3, "#friday too")));
        assertEquals(List.of("1 friday", "1 release", "3 friday"), rows());

        writer.apply(List.of(chat.operation(Type.UPDATE, 1, 4, "#release moved to #monday"), chat.operation(Type.UPDATE, 2, 5, "now #tagged")));
        assertEquals(List.of("1 monday", "1 release", "2 tagged", "3 friday"), rows());

        writer.apply(List.of(chat.operation(Type.DELETE, 3, 6, null)));
        assertEquals(List.of("1 monday", "1 release", "2 tagged"), rows());

        // Redelivered, all of them, even the create of the deleted one: nothing changes.
        writer.apply(List.of(chat.operation(Type.CREATE, 1, 1, "#Release on #Friday"), chat.operation(Type.UPDATE, 1, 4,
                "#release moved to #monday"), chat.operation(Type.CREATE, 3, 3, "#friday too"), chat.operation(Type.DELETE, 3, 6, null)));
        assertEquals(List.of("1 monday", "1 release", "2 tagged"), rows());
    }

    @Test
    void shouldHaveTheNewestBodysTagsWhenAnEditOvertakesItsCreate() throws Exception {
        writer.apply(List.of(chat.operation(Type.UPDATE, 1, 2, "edited #late")));
        assertEquals(List.of(), rows()); // not visible yet: no rows
        writer.apply(List.of(chat.operation(Type.CREATE, 1, 1, "created #early")));
        assertEquals(List.of("1 late"), rows());
        // The edit redelivered, and a message created, edited and deleted in one batch: no rows left for it.
        writer.apply(List.of(chat.operation(Type.UPDATE, 1, 2, "edited #late"), chat.operation(Type.CREATE, 2, 3, "#x"),
                chat.operation(Type.UPDATE, 2, 4, "#y"), chat.operation(Type.DELETE, 2, 5, null)));
        assertEquals(List.of("1 late"), rows());
    }

    private List<String> rows() throws Exception {
        return db.strings("SELECT CONCAT(number, ' ', hashtag) FROM message_hashtags WHERE chat_id = " + chat.chat()
                + " ORDER BY number, hashtag");
    }
}
