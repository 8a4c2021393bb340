package io.chat.api.filter;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.api.message.WrittenMessages;
import io.chat.common.Timestamps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sender, hashtag, from and to on GET …/messages, over rows written as the worker writes them: every
 * combination, walked page by page in both orders, against the same filters applied here.
 */
@QuarkusTest
class MessageFilterTest {

    private static final Instant BASE = Instant.parse("2026-11-01T10:00:00.000Z");
    private static final int MESSAGES = 40;

    private record Row(int number, String sender, String body, Instant createdAt, boolean visible) {
    }

    @Inject
    AgroalDataSource dataSource;

    private String token;
    private final List<Row> rows = new ArrayList<>();

    /**
     * 40 messages: senders alice, bob and none in turn; #even, #Fives and #tri by number; two
     * messages a minute (so that from and to fall on ties); one deleted, one not created yet.
     */
    @BeforeEach
    void writeMessages() throws SQLException {
        token = createApplication();
        createChat(token);
        WrittenMessages written = new WrittenMessages(dataSource);
        for (int n = 1; n <= MESSAGES; n++) {
            String sender = switch (n % 3) {
                case 0 -> "alice";
                case 1 -> "bob";
                default -> null;
            };
            String body = "message " + n + (n % 2 == 0 ? " #even" : "") + (n % 5 == 0 ? " #Fives" : "") + (n % 3 == 0 ? " #tri #even" : "");
            Instant at = BASE.plusSeconds(60L * (n / 2));
            boolean created = n != 13;
            boolean deleted = n == 7;
            written.insert(token, 1, n, deleted ? "" : body, created, deleted, sender, at);
            rows.add(new Row(n, sender, body, at, created && !deleted));
        }
    }

    @Test
    void shouldWalkEveryCombinationOfFiltersInBothOrdersWithoutRepeatingOrSkipping() {
        String[] senders = {null, "alice", "bob"};
        String[] hashtags = {null, "even", "FIVES"};
        Instant[] froms = {null, BASE.plusSeconds(60 * 5)};
        Instant[] tos = {null, BASE.plusSeconds(60 * 15)};
        int walks = 0;
        for (String sender : senders) {
            for (String hashtag : hashtags) {
                for (Instant from : froms) {
                    for (Instant to : tos) {
                        for (String order : List.of("asc", "desc")) {
                            List<Integer> expected = expected(sender, hashtag, from, to, order);
                            List<Integer> walked = walk(sender, hashtag, from, to, order);
                            assertEquals(expected, walked, "sender=" + sender + " hashtag=" + hashtag + " from=" + from
                                    + " to=" + to + " order=" + order);
                            walks++;
                        }
                    }
                }
            }
        }
        assertEquals(72, walks);
        // Not vacuous: the narrowest combination still finds something.
        assertEquals(List.of(10, 25), expected("bob", "fives", BASE.plusSeconds(60 * 5), BASE.plusSeconds(60 * 15), "asc"));
    }

    @Test
    void shouldCarryTheHashtagsOfTheBodyOnEveryMessage() {
        given().when().get("/applications/{token}/chats/1/messages/30", token)
                .then().statusCode(200).body("hashtags", contains("even", "fives", "tri"));
        given().when().get("/applications/{token}/chats/1/messages/1", token)
                .then().statusCode(200).body("hashtags", equalTo(List.of()));
        given().queryParam("hashtag", "tri").queryParam("limit", 1).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(200).body("data[0].number", equalTo(39)).body("data[0].hashtags", contains("tri", "even"));
    }

    @Test
    void shouldTakeFromInclusiveAndToExclusiveAndOffsetsAndFractions() {
        // Messages 10 and 11 were created at BASE + 5 minutes.
        assertEquals(List.of(10, 11), numbers(Map.of("from", "2026-11-01T10:05:00Z", "to", "2026-11-01T10:06:00Z", "order", "asc")));
        assertEquals(List.of(11, 10), numbers(Map.of("from", "2026-11-01T11:05:00+01:00", "to", "2026-11-01T11:06:00+01:00")));
        // Just after 10:05:00.000: rounding a longer fraction up keeps 10 and 11 out of "at or after".
        assertEquals(List.of(12), numbers(Map.of("from", "2026-11-01T10:05:00.0001Z", "to", "2026-11-01T10:06:00.5Z")));
        assertEquals(List.of(), numbers(Map.of("from", "2026-11-01T10:05:00Z", "to", "2026-11-01T10:05:00Z")));
        assertEquals(List.of(), numbers(Map.of("from", "2030-01-01T00:00:00Z")));
        assertEquals(List.of(), numbers(Map.of("to", "2020-01-01T00:00:00Z")));
        // RFC 3339 lets t and z be lowercase.
        assertEquals(List.of(10, 11), numbers(Map.of("from", "2026-11-01t10:05:00z", "to", "2026-11-01t10:06:00z", "order", "asc")));
    }

    /**
     * Messages stored before V6 were stamped after they were numbered, outside the chat's lock: a
     * later number could have an earlier time, by milliseconds. Neither is missed at a bound.
     */
    @Test
    void shouldListMessagesStoredOutOfTimeOrderBeforeV6AtTheBoundsOfARange() throws SQLException {
        String legacy = createApplication();
        createChat(legacy);
        WrittenMessages written = new WrittenMessages(dataSource);
        written.insert(legacy, 1, 1, "one", true, false, null, BASE.plusMillis(5));
        written.insert(legacy, 1, 2, "two", true, false, null, BASE.plusMillis(3));
        written.insert(legacy, 1, 3, "three", true, false, null, BASE.plusMillis(9));
        written.insert(legacy, 1, 4, "four", true, false, null, BASE.plusMillis(7));

        given().queryParam("from", "2026-11-01T10:00:00.004Z").queryParam("to", "2026-11-01T10:00:00.008Z").queryParam("order", "asc")
                .when().get("/applications/{token}/chats/1/messages", legacy)
                .then().statusCode(200).body("data.number", contains(1, 4));
    }

    @Test
    void shouldFilterTheClientPathOfAUserTokenToo() {
        String alice = given().when().post("/applications/{token}/users/alice/tokens", token)
                .then().statusCode(201).extract().path("token");

        List<Integer> page = given().header("Authorization", "Bearer " + alice).queryParam("sender", "alice")
                .queryParam("hashtag", "tri").queryParam("order", "asc").queryParam("limit", 200)
                .when().get("/chats/1/messages").then().statusCode(200).extract().path("data.number");
        assertEquals(expected("alice", "tri", null, null, "asc"), page);
        given().header("Authorization", "Bearer " + alice).queryParam("hashtag", "#tri").when().get("/chats/1/messages")
                .then().statusCode(400).body("errors[0].field", equalTo("hashtag"));
    }

    @Test
    void shouldRefuseACursorOfAListWithOtherFilters() {
        String cursor = given().queryParam("hashtag", "even").queryParam("limit", 2)
                .when().get("/applications/{token}/chats/1/messages", token).then().statusCode(200)
                .extract().path("next_cursor");
        String unfiltered = given().queryParam("limit", 2).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(200).extract().path("next_cursor");

        given().queryParam("hashtag", "fives").queryParam("cursor", cursor).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().queryParam("cursor", cursor).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().queryParam("sender", "bob").queryParam("cursor", unfiltered).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        // The same filters, spelled in another case: the same list.
        given().queryParam("hashtag", "EVEN").queryParam("cursor", cursor).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(200);
    }

    @Test
    void shouldNotSkipOrRepeatWhileMessagesArriveDuringAWalk() throws SQLException {
        WrittenMessages written = new WrittenMessages(dataSource);
        int[] next = {MESSAGES + 1};
        // After each of the first four pages, a new message with the hashtag.
        List<Integer> walked = numbers(Map.of("hashtag", "even", "order", "asc", "limit", "3"), () -> {
            if (next[0] <= MESSAGES + 4) {
                written.insert(token, 1, next[0], "late #even", true, false, null, BASE.plusSeconds(3600 + next[0]));
                next[0]++;
            }
        });

        List<Integer> before = expected(null, "even", null, null, "asc");
        assertTrue(walked.containsAll(before), walked.toString());
        assertEquals(walked.size(), walked.stream().distinct().count(), walked.toString());
        assertEquals(walked.stream().sorted().toList(), walked);
    }

    @ParameterizedTest
    @CsvSource({
            "sender, bob smith", "sender, b/b", "hashtag, two words", "hashtag, #even", "hashtag, 1st", "hashtag, ' '",
            "hashtag, _x", "from, 2026-11-01", "from, 2026-11-01T10:00Z", "from, 2026-13-01T00:00:00Z",
            "from, 2026-02-30T00:00:00Z", "from, yesterday", "to, 2026-11-01T25:00:00Z", "to, 1732000000",
            "to, 2026-11-01 10:00:00Z", "to, 9999-12-31T23:59:59.9999Z", "from, 0001-01-01T00:30:00+01:00",
            "from, 2026-11-01T10:00:00.1234567891Z"})
    void shouldAnswer400NamingAParameterThatIsWrong(String parameter, String value) {
        for (String chat : List.of("1", "999")) {
            given().queryParam(parameter, value).when().get("/applications/{token}/chats/{chat}/messages", token, chat)
                    .then().statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("errors[0].field", equalTo(parameter));
        }
    }

    @Test
    void shouldAnswer400ForAHashtagOverOneHundredCharactersAndFromAfterTo() {
        given().queryParam("hashtag", "a".repeat(101)).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(400).body("errors[0].field", equalTo("hashtag"));
        given().queryParam("hashtag", "a".repeat(100)).when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(200).body("data", equalTo(List.of()));
        given().queryParam("from", "2026-11-02T00:00:00Z").queryParam("to", "2026-11-01T00:00:00Z")
                .when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().queryParam("hashtag", "even").when().get("/applications/{token}/chats/2/messages", token)
                .then().statusCode(404);
    }

    private List<Integer> expected(String sender, String hashtag, Instant from, Instant to, String order) {
        Predicate<Row> keep = Row::visible;
        if (sender != null) {
            keep = keep.and(row -> sender.equals(row.sender()));
        }
        if (hashtag != null) {
            keep = keep.and(row -> Arrays.asList(row.body().toLowerCase().split("[ #]+")).contains(hashtag.toLowerCase()));
        }
        if (from != null) {
            keep = keep.and(row -> !row.createdAt().isBefore(from));
        }
        if (to != null) {
            keep = keep.and(row -> row.createdAt().isBefore(to));
        }
        Comparator<Integer> byNumber = order.equals("asc") ? Comparator.naturalOrder() : Comparator.reverseOrder();
        return rows.stream().filter(keep).map(Row::number).sorted(byNumber).toList();
    }

    private List<Integer> walk(String sender, String hashtag, Instant from, Instant to, String order) {
        Map<String, String> parameters = new HashMap<>();
        if (sender != null) {
            parameters.put("sender", sender);
        }
        if (hashtag != null) {
            parameters.put("hashtag", hashtag);
        }
        if (from != null) {
            parameters.put("from", Timestamps.RFC_3339_MILLIS.format(from));
        }
        if (to != null) {
            parameters.put("to", Timestamps.RFC_3339_MILLIS.format(to));
        }
        parameters.put("order", order);
        parameters.put("limit", "4");
        return numbers(parameters);
    }

    /** Something done between two pages of a walk. */
    private interface BetweenPages {
        void run() throws SQLException;
    }

    /** Every page of the list with these parameters, walked with its cursors. */
    private List<Integer> numbers(Map<String, String> parameters) {
        try {
            return numbers(parameters, () -> { });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Integer> numbers(Map<String, String> parameters, BetweenPages betweenPages) throws SQLException {
        List<Integer> numbers = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParams(parameters);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/applications/{token}/chats/1/messages", token);
            page.then().statusCode(200);
            numbers.addAll(page.path("data.number"));
            cursor = page.path("next_cursor");
            assertTrue(++pages <= MESSAGES, "the walk does not end");
            betweenPages.run();
        } while (cursor != null);
        return numbers;
    }
}
