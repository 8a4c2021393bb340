package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.messageJson;
import static io.chat.stack.Client.messagesOf;
import static io.chat.stack.Client.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.common.events.SocketClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Chats' sockets on the whole stack, 3 replicas behind NGINX: posting over sockets of every replica,
 * each post acknowledged and delivered to every socket in order; members and typing across
 * replicas; a replica killed under its members; an idle socket through NGINX past its read timeout.
 */
@Order(6)
class SocketsIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final Pattern ID = Pattern.compile("^\\{\"id\":\"(\\d+)\",\"type\":\"message\\.created\"");
    private static final Pattern ACKED = Pattern.compile("^\\{\"type\":\"ack\",\"ref\":\"[^\"]+\",\"data\":\\{\"number\":(\\d+),");

    @BeforeAll
    static void up() throws Exception {
        Stack.up(3);
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
    }

    @Test
    void shouldAckPostsOverSocketsOfEveryReplicaAndDeliverThemToEverySocketInOrder() throws Exception {
        String token = chat();
        String user = userToken(token, "u1");
        List<SocketClient> sockets = new ArrayList<>();
        try {
            for (int replica = 1; replica <= 3; replica++) {
                sockets.add(SocketClient.open(ws(Stack.replica(replica)) + "/applications/" + token + "/chats/1/socket", Map.of())
                        .awaitLive(WITHIN));
            }
            sockets.add(SocketClient.open(ws(Stack.frontDoor()) + "/chats/1/socket?access_token=" + user, Map.of()).awaitLive(WITHIN));
            for (int i = 0; i < 10; i++) {
                for (int s = 0; s < sockets.size(); s++) {
                    sockets.get(s).send("{\"type\":\"message.create\",\"body\":\"s" + s + " m" + i + "\",\"ref\":\"" + s + "-" + i + "\"}");
                }
            }
            TreeSet<Integer> acked = new TreeSet<>();
            for (SocketClient socket : sockets) {
                List<Long> ids = new ArrayList<>();
                int acks = 0;
                while (ids.size() < 40 || acks < 10) {
                    String frame = socket.next(WITHIN);
                    Matcher event = ID.matcher(frame);
                    Matcher ack = ACKED.matcher(frame);
                    if (event.find()) {
                        ids.add(Long.parseLong(event.group(1)));
                    } else if (ack.find()) {
                        acks++;
                        acked.add(Integer.parseInt(ack.group(1)));
                    } else {
                        assertTrue(frame.startsWith("{\"type\":\"member."), frame);
                    }
                }
                assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), ids, "every event once, in order");
            }
            assertEquals(IntStream.rangeClosed(1, 40).boxed().toList(), List.copyOf(acked), "40 posts, 40 numbers");
        } finally {
            sockets.forEach(SocketClient::close);
        }
    }

    /**
     * Alice on replica 1, Bob on replica 2 (by a user token through his own replica), a watcher on
     * replica 3: joins, typing and the list cross replicas. Then replica 2 is SIGKILLed: Bob is listed
     * no longer than the documented 45 s and the watcher hears he left. Meanwhile a socket opened
     * through NGINX after the kill idles past NGINX's 30 s read timeout, kept open by pings.
     */
    @Test
    void shouldShareMembersAndTypingAcrossReplicasAndDropAKilledReplicasMembers() throws Exception {
        String token = chat();
        String bob = userToken(token, "bob");
        String chat = "/applications/" + token + "/chats/1";
        try (SocketClient watcher = SocketClient.open(ws(Stack.replica(3)) + chat + "/socket", Map.of()).awaitLive(WITHIN);
                SocketClient alice = SocketClient.open(ws(Stack.replica(1)) + chat + "/socket?user=alice", Map.of())) {
            assertEquals("{\"type\":\"member.joined\",\"data\":{\"user\":\"alice\"}}", watcher.next(WITHIN));
            SocketClient bobs = SocketClient.open(ws(Stack.replica(2)) + "/chats/1/socket?access_token=" + bob, Map.of());
            assertEquals("{\"type\":\"member.joined\",\"data\":{\"user\":\"bob\"}}", watcher.next(WITHIN));
            assertEquals(List.of("alice", "bob"), members(Stack.replica(3) + chat));

            alice.send("{\"type\":\"typing\"}");
            assertEquals("{\"type\":\"typing\",\"data\":{\"user\":\"alice\"}}", watcher.next(WITHIN));

            Stack.kill("api-2");
            Instant killed = Instant.now();
            // Opened after the kill, so that NGINX proxies it to a replica that stays up.
            SocketClient idle = SocketClient.open(ws(Stack.frontDoor()) + chat + "/socket", Map.of()).awaitLive(WITHIN);
            // Listed until his replica's time runs out: at most three heartbeats (45 s) after its last write.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> members(Stack.replica(3) + chat).equals(List.of("alice")));
            Duration unlisted = Duration.between(killed, Instant.now());
            // Then the next heartbeat of a replica that follows the chat sweeps it away, and says so.
            assertEquals("{\"type\":\"member.left\",\"data\":{\"user\":\"bob\"}}", watcher.next(Duration.ofSeconds(30)));
            Duration left = Duration.between(killed, Instant.now());
            System.out.printf("bob unlisted %d ms and left %d ms after his replica was killed%n", unlisted.toMillis(), left.toMillis());
            assertTrue(unlisted.compareTo(Duration.ofSeconds(46)) < 0, "bob listed for " + unlisted);
            assertTrue(left.compareTo(Duration.ofSeconds(61)) < 0, "bob left after " + left);
            bobs.abort();

            Duration idled = Duration.between(killed, Instant.now());
            assertTrue(idled.compareTo(Duration.ofSeconds(35)) > 0, "idle for only " + idled);
            assertTrue(idle.isOpen(), "NGINX closed an idle socket");
            assertTrue(idle.pings() >= 3, idle.pings() + " pings"); // the first as it opened, then one every 15 s
            assertEquals(202, post(messagesOf(token, 1), messageJson("still there"), null).status());
            String event = idle.next(WITHIN);
            while (event.startsWith("{\"type\":\"member.") || event.startsWith("{\"type\":\"typing\"")) {
                event = idle.next(WITHIN);
            }
            assertTrue(event.startsWith("{\"id\":\"1\",\"type\":\"message.created\""), event);
            idle.close();
        } finally {
            Stack.up(3);
        }
    }

    /** Sockets of a replica that is SIGKILLed reconnect elsewhere with since=<last id>, and miss nothing. */
    @Test
    void shouldLetSocketsOfAKilledReplicaResumeElsewhereWithNothingLost() throws Exception {
        String token = chat();
        String chat = "/applications/" + token + "/chats/1";
        List<Long> ids = new ArrayList<>();
        try {
            try (SocketClient onTwo = SocketClient.open(ws(Stack.replica(2)) + chat + "/socket?since=0", Map.of()).awaitLive(WITHIN)) {
                for (int i = 1; i <= 10; i++) {
                    assertEquals(202, post(messagesOf(token, 1), messageJson("before" + i), null).status());
                }
                ids.addAll(eventIds(onTwo, 10));
                Stack.kill("api-2");
                assertEquals(1006, onTwo.closed(WITHIN).code(), "the connection dropped without a close frame");
            }
            for (int i = 1; i <= 10; i++) {
                assertEquals(202, post(messagesOf(token, 1), messageJson("after" + i), null).status());
            }
            try (SocketClient elsewhere = SocketClient.open(ws(Stack.frontDoor()) + chat + "/socket?since=" + ids.get(ids.size() - 1),
                    Map.of())) {
                ids.addAll(eventIds(elsewhere, 10));
            }
        } finally {
            Stack.up(3);
        }
        assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), ids);
    }

    /** The ids of the next {@code count} message events of a socket. */
    private static List<Long> eventIds(SocketClient socket, int count) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        while (ids.size() < count) {
            Matcher event = ID.matcher(socket.next(WITHIN));
            if (event.find()) {
                ids.add(Long.parseLong(event.group(1)));
            }
        }
        return ids;
    }

    /** A replica stopped the usual way (SIGTERM, as bin/stack and docker do): its members leave at once, not after 45 s. */
    @Test
    void shouldSayAStoppedReplicasMembersLeftAtOnce() throws Exception {
        String token = chat();
        String chat = "/applications/" + token + "/chats/1";
        try (SocketClient watcher = SocketClient.open(ws(Stack.replica(1)) + chat + "/socket", Map.of()).awaitLive(WITHIN);
                SocketClient carol = SocketClient.open(ws(Stack.replica(3)) + chat + "/socket?user=carol", Map.of())) {
            assertEquals("{\"type\":\"member.joined\",\"data\":{\"user\":\"carol\"}}", watcher.next(WITHIN));
            Instant stopping = Instant.now();
            Stack.up(2); // stops replica 3
            assertEquals("{\"type\":\"member.left\",\"data\":{\"user\":\"carol\"}}", watcher.next(WITHIN));
            Duration took = Duration.between(stopping, Instant.now());
            System.out.printf("carol left %d ms after her replica was told to stop%n", took.toMillis());
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "carol left after " + took);
            assertEquals(List.of(), members(Stack.replica(1) + chat));
        } finally {
            Stack.up(3);
        }
    }

    private static List<String> members(String chatUrl) {
        String body = Client.get(chatUrl + "/members").body();
        List<String> users = new ArrayList<>();
        Matcher user = Pattern.compile("\"user\":\"([^\"]+)\"").matcher(body);
        while (user.find()) {
            users.add(user.group(1));
        }
        return users;
    }

    private static String userToken(String token, String user) {
        return post(Stack.frontDoor() + "/applications/" + token + "/users/" + user + "/tokens", null, null).body()
                .replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    private static String chat() {
        String token = createApplication();
        Client.createChats(token, 1);
        return token;
    }

    private static String ws(String http) {
        return http.replaceFirst("^http", "ws");
    }
}
