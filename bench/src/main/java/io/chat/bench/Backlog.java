package io.chat.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code Backlog FRONT_DOOR TOKEN CHATS MESSAGES CONCURRENCY}: posts MESSAGES messages, each to a
 * random chat of 1..CHATS, CONCURRENCY at a time, and prints the result {@code drain.backlog}: 202s
 * per second. (wrk cannot stop after a number of requests: it always runs for its full duration.)
 */
public final class Backlog {

    private Backlog() {
    }

    public static void main(String[] args) throws InterruptedException {
        Api api = new Api(args[0], args[1]);
        int chats = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        Result result = ClosedLoop.run("drain.backlog", api, concurrency, messages,
                i -> api.postMessage(ThreadLocalRandom.current().nextInt(1, chats + 1), "bench message " + Api.uniqueWord()),
                ClosedLoop.status(202));
        System.out.println(result.line());
    }
}
