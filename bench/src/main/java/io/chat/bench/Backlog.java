package io.chat.bench;

/**
 * {@code Backlog FRONT_DOOR TOKEN CHATS MESSAGES CONCURRENCY}: posts MESSAGES messages to chats 1..CHATS
 * in turn, so that every chat gets its share, CONCURRENCY at a time, and prints the result
 * {@code drain.backlog}: 202s per second. (wrk cannot stop after a number of requests: it always
 * runs for its full duration.)
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
                i -> api.postMessage(i % chats + 1, "bench message " + Api.uniqueWord()),
                ClosedLoop.status(202));
        System.out.println(result.line());
    }
}
