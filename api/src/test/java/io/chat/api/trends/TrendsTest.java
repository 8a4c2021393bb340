package io.chat.api.trends;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.api.search.SearchDocuments;
import io.chat.common.search.SearchNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Trends and top hashtags against a real OpenSearch node, over documents written as the worker writes them. */
@QuarkusTest
@QuarkusTestResource(SearchNode.class)
class TrendsTest {

    @Inject
    RestClient client;

    @Inject
    AgroalDataSource dataSource;

    private SearchDocuments documents;
    private String token;

    /**
     * Chat 1: 10:05 (#release, alice), 10:20 (#release #q4, bob), 11:59:59.999 (#q4), 13:00 (none).
     * Chat 2: 10:30 (#release, alice). Another application: 10:10 (#release), never counted here.
     */
    @BeforeEach
    void indexMessages() throws Exception {
        documents = new SearchDocuments(client, dataSource);
        token = createApplication();
        createChat(token);
        createChat(token);
        documents.index(token, 1, 1, "alice", "ship #Release", "2026-11-01T10:05:00.000Z");
        documents.index(token, 1, 2, "bob", "#release and #q4", "2026-11-01T10:20:00.000Z");
        documents.index(token, 1, 3, null, "end of #Q4", "2026-11-01T11:59:59.999Z");
        documents.index(token, 1, 4, null, "no tags", "2026-11-01T13:00:00.000Z");
        documents.index(token, 2, 1, "alice", "#release in chat 2", "2026-11-01T10:30:00.000Z");
        String other = createApplication();
        createChat(other);
        documents.index(other, 1, 1, null, "#release elsewhere", "2026-11-01T10:10:00.000Z");
    }

    @Test
    void shouldCountEveryBucketAlignedToTheIntervalWithEmptyOnesAtZero() {
        given().queryParam("interval", "1h").queryParam("from", "2026-11-01T09:30:00Z").queryParam("to", "2026-11-01T13:00:00Z")
                .when().get("/applications/{token}/trends", token)
                .then().statusCode(200)
                .body("interval", equalTo("1h"))
                .body("from", equalTo("2026-11-01T09:30:00.000Z"))
                .body("to", equalTo("2026-11-01T13:00:00.000Z"))
                .body("buckets.start", contains("2026-11-01T09:00:00.000Z", "2026-11-01T10:00:00.000Z",
                        "2026-11-01T11:00:00.000Z", "2026-11-01T12:00:00.000Z"))
                // 13:00 is not before to; 09:00-09:30 is before from
                .body("buckets.count", contains(0, 3, 1, 0));
        given().queryParam("interval", "15m").queryParam("from", "2026-11-01T10:00:00Z").queryParam("to", "2026-11-01T11:00:00Z")
                .when().get("/applications/{token}/trends", token)
                .then().statusCode(200).body("buckets.count", contains(1, 1, 1, 0));
        given().queryParam("interval", "1d").queryParam("from", "2026-10-31T12:00:00Z").queryParam("to", "2026-11-02T00:00:00Z")
                .when().get("/applications/{token}/trends", token)
                .then().statusCode(200)
                .body("buckets.start", contains("2026-10-31T00:00:00.000Z", "2026-11-01T00:00:00.000Z"))
                .body("buckets.count", contains(0, 5));
    }

    @Test
    void shouldNarrowToAChatASenderAndAHashtag() {
        // One bucket: 1d buckets start at midnight UTC.
        String from = "2026-11-01T10:00:00Z";
        String to = "2026-11-01T14:00:00Z";
        given().queryParams("interval", "1d", "from", from, "to", to, "chat", 1).when().get("/applications/{token}/trends", token)
                .then().statusCode(200).body("buckets.count", contains(4));
        given().queryParams("interval", "1d", "from", from, "to", to, "sender", "alice").when().get("/applications/{token}/trends", token)
                .then().statusCode(200).body("buckets.count", contains(2));
        given().queryParams("interval", "1d", "from", from, "to", to, "hashtag", "RELEASE").when().get("/applications/{token}/trends", token)
                .then().statusCode(200).body("buckets.count", contains(3));
        given().queryParams("interval", "1d", "from", from, "to", to, "hashtag", "q4", "chat", 1, "sender", "bob")
                .when().get("/applications/{token}/trends", token)
                .then().statusCode(200).body("buckets.count", contains(1));
    }

    @Test
    void shouldDefaultToTheLast24HoursInHourlyBuckets() {
        Trends trends = given().when().get("/applications/{token}/trends", token)
                .then().statusCode(200).body("interval", equalTo("1h"))
                // 24 hours from a time inside an hour touch 25 hourly buckets; on the hour, 24
                .body("buckets.size()", either(equalTo(24)).or(equalTo(25)))
                .extract().as(Trends.class);
        assertEquals(Duration.ofHours(24), Duration.between(trends.from(), trends.to()));
        assertTrue(Duration.between(trends.to(), Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0, "to is now");
        for (Trends.Bucket bucket : trends.buckets()) {
            assertEquals(0, bucket.start().toEpochMilli() % 3_600_000, bucket.start() + " is on the hour");
        }
        assertEquals(trends.from().toEpochMilli() / 3_600_000 * 3_600_000, trends.buckets().get(0).start().toEpochMilli());
    }

    @Test
    void shouldRankTheMostUsedHashtagsOfATime() {
        String from = "2026-11-01T00:00:00Z";
        String to = "2026-11-02T00:00:00Z";
        given().queryParams("from", from, "to", to).when().get("/applications/{token}/hashtags", token)
                .then().statusCode(200)
                .body("data.hashtag", contains("release", "q4"))
                .body("data.count", contains(3, 2));
        given().queryParams("from", from, "to", to, "limit", 1).when().get("/applications/{token}/hashtags", token)
                .then().statusCode(200).body("data", hasSize(1)).body("data[0].hashtag", equalTo("release"));
        given().queryParams("from", from, "to", to, "chat", 2).when().get("/applications/{token}/hashtags", token)
                .then().statusCode(200).body("data.hashtag", contains("release")).body("data.count", contains(1));
        given().queryParams("from", "2026-11-01T11:00:00Z", "to", to).when().get("/applications/{token}/hashtags", token)
                .then().statusCode(200).body("data.hashtag", contains("q4")).body("data.count", contains(1));
    }

    @Test
    void shouldLeaveOutTheDocumentsOfADeletedChatBeforeThePurgeRemovesThem() throws Exception {
        given().when().delete("/applications/{token}/chats/2", token).then().statusCode(204);

        given().queryParams("from", "2026-11-01T00:00:00Z", "to", "2026-11-02T00:00:00Z").when().get("/applications/{token}/hashtags", token)
                .then().statusCode(200).body("data.count", contains(2, 2));
        given().queryParams("interval", "1d", "from", "2026-11-01T00:00:00Z", "to", "2026-11-02T00:00:00Z")
                .when().get("/applications/{token}/trends", token)
                .then().statusCode(200).body("buckets.count", contains(4));
        given().queryParams("chat", 2).when().get("/applications/{token}/trends", token)
                .then().statusCode(400).body("errors[0].field", equalTo("chat"));
    }

    @Test
    void shouldCountAnEditsNewHashtagsAndNotADeletedMessage() throws Exception {
        documents.index(token, 1, 2, "bob", "edited, now #launch", "2026-11-01T10:20:00.000Z");
        documents.delete(token, 1, 3);

        given().queryParams("from", "2026-11-01T00:00:00Z", "to", "2026-11-02T00:00:00Z").when().get("/applications/{token}/hashtags", token)
                .then().statusCode(200).body("data.hashtag", contains("release", "launch")).body("data.count", contains(2, 1));
    }

    @ParameterizedTest
    @CsvSource({
            "interval, 0m", "interval, 0", "interval, 1.5h", "interval, 60s", "interval, 1w", "interval, h", "interval, -1h",
            "interval, 01h", "from, 2026-11-01", "from, not a time", "to, 2026-11-01T10:00:00", "chat, 0", "chat, abc",
            "chat, 99", "chat, 99999999999", "sender, bob smith", "hashtag, two words", "hashtag, #release"})
    void shouldAnswer400NamingTheParameter(String parameter, String value) {
        given().queryParam(parameter, value).when().get("/applications/{token}/trends", token)
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo(parameter));
    }

    @Test
    void shouldAnswer400ForTooManyBucketsFromAfterToAndABadLimit() {
        // 1,000 one-minute buckets are fine; 1,001 are not.
        given().queryParams("interval", "1m", "from", "2026-11-01T00:00:00Z", "to", "2026-11-01T16:40:00Z")
                .when().get("/applications/{token}/trends", token).then().statusCode(200).body("buckets", hasSize(1000));
        given().queryParams("interval", "1m", "from", "2026-11-01T00:00:00Z", "to", "2026-11-01T16:40:00.001Z")
                .when().get("/applications/{token}/trends", token)
                .then().statusCode(400).body("errors[0].field", equalTo("interval"));
        given().queryParams("from", "2026-11-02T00:00:00Z", "to", "2026-11-01T00:00:00Z").when().get("/applications/{token}/trends", token)
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().queryParams("from", "2999-01-01T00:00:00Z").when().get("/applications/{token}/hashtags", token)
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        for (String limit : List.of("0", "201", "ten")) {
            given().queryParam("limit", limit).when().get("/applications/{token}/hashtags", token)
                    .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        }
        given().queryParams("chat", 99).when().get("/applications/{token}/hashtags", token)
                .then().statusCode(400).body("errors[0].field", equalTo("chat"));
    }

    @Test
    void shouldAnswer404ForAnUnknownTokenAnd405ForAWrite() {
        given().when().get("/applications/{token}/trends", "A".repeat(22)).then().statusCode(404);
        given().when().get("/applications/{token}/hashtags", "A".repeat(22)).then().statusCode(404);
        given().when().post("/applications/{token}/trends", token).then().statusCode(405);
        assertEquals(404, given().when().get("/applications/{token}/trends", "short").then().extract().statusCode());
    }
}
