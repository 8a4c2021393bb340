package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.messageJson;
import static io.chat.stack.Client.messagesOf;
import static io.chat.stack.Client.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.chat.common.events.SseClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Following chats over SSE on the whole stack: messages posted through any replica, persisted by the
 * worker, reach subscribers on every replica and through NGINX, in order, each once, while
 * subscribers drop and resume, and while a replica is killed under them.
 */
@Order(5)
class EventsIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");
    private static final Pattern BODY = Pattern.compile("\"body\":\"([^\"]*)\"");

    private static MysqlDataSource db;

    @BeforeAll
    static void up() throws Exception {
        Stack.up(3);
        db = Client.database();
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
    }

    @Test
    void shouldDeliverWhatIsPostedThroughAnyReplicaToSubscribersOfEveryReplicaInOrder() throws Exception {
        String token = chat();
        List<SseClient> subscribers = new ArrayList<>();
        try {
            for (String base : List.of(Stack.replica(1), Stack.replica(2), Stack.replica(3), Stack.frontDoor())) {
                subscribers.add(SseClient.open(base + "/applications/" + token + "/chats/1/events?since=0", Map.of()));
            }
            for (int i = 1; i <= 30; i++) {
                assertEquals(202, post(Stack.replica(i % 3 + 1) + "/applications/" + token + "/chats/1/messages",
                        messageJson("m" + i), null).status());
            }
            await().atMost(WITHIN).until(() -> visible(token).size() == 30);
            assertEquals(202, send("PUT", Stack.replica(2) + "/applications/" + token + "/chats/1/messages/5", messageJson("edited")));
            assertEquals(202, send("DELETE", Stack.replica(3) + "/applications/" + token + "/chats/1/messages/6", null));

            for (SseClient subscriber : subscribers) {
                List<SseClient.Event> events = subscriber.next(32, WITHIN);
                assertEquals(LongStream.rangeClosed(1, 32).mapToObj(String::valueOf).toList(), ids(events));
                assertEquals(visible(token), apply(events));
                assertEquals("message.updated", events.get(30).type());
                assertEquals("message.deleted", events.get(31).type());
                assertEquals("{\"number\":6,\"chat_number\":1}", events.get(31).data());
            }
        } finally {
            for (SseClient subscriber : subscribers) {
                subscriber.close();
            }
        }
    }

    /**
     * Six subscribers, each connecting to a replica or to NGINX at random, dropping after a random
     * number of events and resuming with the last id it saw, while four writers post, edit and
     * delete through NGINX. Each must end with every event once, in order, and the state they
     * describe must be the chat's.
     */
    @Test
    void shouldGiveSubscribersThatDropAndResumeAnywhereEveryEventOnceInOrder() throws Exception {
        String token = chat();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger accepted = new AtomicInteger();
        double persistedBefore = persisted();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<List<SseClient.Event>>> subscribers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                subscribers.add(pool.submit(() -> churn(token, writing)));
            }
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 60; i++) {
                        Client.Answer created = post(messagesOf(token, 1), messageJson("w" + i), null);
                        assertEquals(202, created.status(), created.body());
                        accepted.incrementAndGet();
                        int number = created.number();
                        int status = i % 7 == 0 ? send("PUT", messagesOf(token, 1) + "/" + number, messageJson("edited" + i))
                                : i % 11 == 0 ? send("DELETE", messagesOf(token, 1) + "/" + number, null) : 0;
                        if (status == 202) {
                            accepted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            // Every accepted operation persisted (nothing else writes meanwhile): the chat's last event is final.
            await().atMost(WITHIN).until(() -> persisted() - persistedBefore >= accepted.get());
            long last = lastSeq(token);
            writing.set(false);
            for (Future<List<SseClient.Event>> subscriber : subscribers) {
                List<SseClient.Event> events = subscriber.get();
                assertEquals(LongStream.rangeClosed(1, last).mapToObj(String::valueOf).toList(), ids(events));
                assertEquals(visible(token), apply(events));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Subscribers of a replica that is SIGKILLed reconnect elsewhere, resume, and miss nothing. */
    @Test
    void shouldLetSubscribersOfAKilledReplicaResumeOnAnotherWithNothingLost() throws Exception {
        String token = chat();
        List<SseClient.Event> received = new ArrayList<>();
        try (SseClient onTwo = SseClient.open(Stack.replica(2) + "/applications/" + token + "/chats/1/events?since=0", Map.of())) {
            for (int i = 1; i <= 10; i++) {
                assertEquals(202, post(messagesOf(token, 1), messageJson("before" + i), null).status());
            }
            received.addAll(onTwo.next(10, WITHIN));
            Stack.kill("api-2");
            await().atMost(WITHIN).until(() -> !onTwo.isOpen());
        }
        for (int i = 1; i <= 10; i++) {
            assertEquals(202, post(messagesOf(token, 1), messageJson("after" + i), null).status());
        }
        String lastId = received.get(received.size() - 1).id();
        try (SseClient elsewhere = SseClient.open(Stack.frontDoor() + "/applications/" + token + "/chats/1/events",
                Map.of("Last-Event-ID", lastId))) {
            received.addAll(elsewhere.next(10, WITHIN));
        } finally {
            Stack.up(3);
        }
        assertEquals(LongStream.rangeClosed(1, 20).mapToObj(String::valueOf).toList(), ids(received));
        assertEquals(visible(token), apply(received));
    }

    /**
     * Through NGINX, by a user token in the query (as a browser's EventSource sends it), past NGINX's
     * 30 s read timeout with nothing posted: the comment lines keep the stream open.
     */
    @Test
    void shouldKeepAnIdleStreamOpenThroughNginxByItsHeartbeats() throws Exception {
        String token = chat();
        String user = post(Stack.frontDoor() + "/applications/" + token + "/users/u1/tokens", null, null).body()
                .replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        long opening = System.nanoTime();
        try (SseClient idle = SseClient.open(Stack.frontDoor() + "/chats/1/events?since=0&access_token=" + user, Map.of())) {
            assertEquals(200, idle.status());
            // A stream writes a comment line as it opens: NGINX passes its headers on only with its first
            // bytes, and the first heartbeat (15 s) came too late for an EventSource's open event.
            Duration opened = Duration.ofNanos(System.nanoTime() - opening);
            assertTrue(opened.compareTo(Duration.ofSeconds(10)) < 0, "the stream's headers took " + opened);
            // Three comment lines after the first, 15 s apart: more than 30 s with no event.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> idle.comments() >= 4 || !idle.isOpen());
            assertTrue(idle.isOpen(), "NGINX closed an idle stream");
            assertEquals(202, post(messagesOf(token, 1), messageJson("still there"), null).status());
            SseClient.Event event = idle.next(WITHIN);
            while (event.id() == null) { // a user token's stream is a member: its own member.joined has no id
                assertEquals("member.joined", event.type());
                event = idle.next(WITHIN);
            }
            assertEquals("1", event.id());
            assertTrue(event.data().contains("still there"), event.data());
        }
    }

    /** All that one subscriber received, over all its connections, until it has the chat's last event. */
    private static List<SseClient.Event> churn(String token, AtomicBoolean writing) throws Exception {
        List<SseClient.Event> received = new ArrayList<>();
        String lastId = "0";
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        List<String> bases = List.of(Stack.replica(1), Stack.replica(2), Stack.replica(3), Stack.frontDoor());
        while (System.nanoTime() < deadline) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            boolean live = writing.get();
            long last = live ? Long.MAX_VALUE : lastSeq(token);
            if (!live && Long.parseLong(lastId) >= last) {
                return received;
            }
            String base = bases.get(random.nextInt(bases.size()));
            try (SseClient client = SseClient.open(base + "/applications/" + token + "/chats/1/events", Map.of("Last-Event-ID", lastId))) {
                int take = live ? 1 + random.nextInt(40) : Integer.MAX_VALUE;
                for (int i = 0; i < take; i++) {
                    SseClient.Event event = client.poll(live ? Duration.ofMillis(50 + random.nextInt(400)) : Duration.ofSeconds(5));
                    if (event == null) {
                        break;
                    }
                    received.add(event);
                    lastId = event.id();
                    if (Long.parseLong(lastId) >= last) {
                        return received;
                    }
                }
            }
        }
        return received;
    }

    /** Operations the worker has committed, of every type (its chat_message_operations_persisted_total). */
    private static double persisted() throws Exception {
        String metrics = Client.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Stack.WORKER_PORT + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("chat_message_operations_persisted_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** A new application with one chat; its token. */
    private static String chat() {
        String token = createApplication();
        Client.createChats(token, 1);
        return token;
    }

    private static long lastSeq(String token) throws Exception {
        return Client.queryLong(db, "SELECT COALESCE(MAX(s.last_seq), 0) FROM chat_streams s JOIN chats c ON c.id = s.chat_id"
                + " JOIN applications a ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = 1", token);
    }

    private static List<String> ids(List<SseClient.Event> events) {
        return events.stream().map(SseClient.Event::id).toList();
    }

    /** The chat's messages as the events describe them: body by number. */
    private static Map<Integer, String> apply(List<SseClient.Event> events) {
        Map<Integer, String> state = new TreeMap<>();
        for (SseClient.Event event : events) {
            Matcher number = NUMBER.matcher(event.data());
            assertTrue(number.find(), event.data());
            if (event.type().equals("message.deleted")) {
                state.remove(Integer.parseInt(number.group(1)));
            } else {
                Matcher body = BODY.matcher(event.data());
                assertTrue(body.find(), event.data());
                state.put(Integer.parseInt(number.group(1)), body.group(1));
            }
        }
        return state;
    }

    /** The chat's visible messages as MySQL has them: body by number. */
    private static Map<Integer, String> visible(String token) throws Exception {
        Map<Integer, String> state = new TreeMap<>();
        Client.persisted(db, token).forEach((path, body) -> state.put(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)), body));
        return state;
    }

    private static int send(String method, String url, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40));
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return Client.send(request.build()).statusCode();
    }
}
