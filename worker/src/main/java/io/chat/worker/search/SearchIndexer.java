package io.chat.worker.search;

import io.chat.worker.message.BatchCommitted;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.chat.common.Timestamps;
import io.chat.common.metrics.Latencies;
import io.chat.common.search.MessageDocument;
import io.chat.common.search.MessageIndex;
import io.chat.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Brings the search index in line with MySQL from the search_outbox table. Each round claims up to
 * a batch of outbox rows (FOR UPDATE SKIP LOCKED: several workers share the work), reads the
 * messages' current state, sends one bulk request with external versions (an older state can never
 * overwrite a newer one; the version is the message's, bumped by every operation), and deletes the
 * claimed rows only if the bulk succeeded. While the search engine is down the rows simply stay,
 * and rounds back off. A round starts as soon as this worker committed outbox rows ({@link #wake()}),
 * and at the latest every interval, for rows that other workers queued.
 */
@ApplicationScoped
public class SearchIndexer {

    private static final Logger LOG = Logger.getLogger(SearchIndexer.class);
    private static final int BATCH = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private record Row(long chatId, int number, Long applicationId, Integer chatNumber, String body, long version,
            boolean created, boolean deleted, String createdAt, String updatedAt, String sender) {

        boolean gone() {
            return applicationId == null || body == null;
        }
    }

    private final AgroalDataSource dataSource;
    private final SearchEngine engine;
    private final long intervalMillis;
    private final Counter indexed;
    private final Timer delay;
    private final ObjectMapper json;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean running;
    private volatile Thread loop;

    public SearchIndexer(AgroalDataSource dataSource, SearchEngine engine, WorkerConfig config, MeterRegistry metrics,
            ObjectMapper json) {
        this.dataSource = dataSource;
        this.engine = engine;
        this.json = json;
        this.indexed = metrics.counter("chat.messages.indexed");
        this.delay = Latencies.timer(metrics, "chat.messages.index.delay",
                "From the API's acceptance of a message's latest create or edit to its indexing (a reindex counts from then too)");
        this.intervalMillis = config.search().interval().toMillis();
    }

    /** Its own thread: the scheduler does not run jobs more often than once a second. */
    void start(@Observes StartupEvent event) {
        running = true;
        loop = new Thread(this::run, "search-indexer");
        loop.start();
    }

    /** A commit put messages on the outbox: index them now, not at the next interval. */
    void committed(@Observes BatchCommitted batch) {
        wake();
    }

    /**
     * Starts the next round now, unless one is under way (then the one after it starts at once) or
     * the search engine is down (then the backoff holds).
     */
    public void wake() {
        woken.set(true);
        Thread current = loop;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        loop.interrupt();
        loop.join(10_000);
    }

    private void run() {
        long backoff = 0;
        while (running) {
            try {
                engine.ensureIndex();
                int claimed = indexOneBatch();
                backoff = 0;
                if (claimed < BATCH) {
                    // Until woken by a commit, or the interval is up; a backlog keeps going at once.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMillis));
                }
            } catch (IOException | SQLException | RuntimeException e) {
                backoff = backoff == 0 ? 500 : Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                LOG.warnf("Search indexing failed, the outbox keeps the messages; retrying in %d ms: %s", backoff, e.getMessage());
                try {
                    Thread.sleep(backoff); // a wake-up does not cut it short
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Indexes one batch of the outbox; returns how many rows it claimed. A round nobody woke (the
     * interval's, for other workers' rows) first looks with one statement outside a transaction: an
     * idle worker costs MySQL one query an interval, not four (two autocommit switches and a commit).
     */
    private int indexOneBatch() throws SQLException, IOException {
        boolean wokenByCommit = woken.getAndSet(false);
        try (Connection connection = dataSource.getConnection()) {
            if (!wokenByCommit && outboxEmpty(connection)) {
                return 0;
            }
            connection.setAutoCommit(false);
            try {
                List<long[]> claimed = claim(connection);
                if (!claimed.isEmpty()) {
                    send(read(connection, claimed));
                    delete(connection, claimed);
                }
                connection.commit();
                return claimed.size();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean outboxEmpty(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM search_outbox LIMIT 1");
                ResultSet rows = select.executeQuery()) {
            return !rows.next();
        }
    }

    /**
     * Locks only outbox rows: a join here would also lock chat rows that message numbering needs.
     * What writes queued comes first, then what a reindex queued: a new message is never indexed
     * behind a reindex of millions. The order is an index's (V7), so the scan locks only the rows it
     * returns, never a filesort's whole table.
     */
    private static List<long[]> claim(Connection connection) throws SQLException {
        List<long[]> keys = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT chat_id, number FROM search_outbox"
                + " FORCE INDEX (idx_search_outbox_claim) ORDER BY reindex, chat_id, number LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                keys.add(new long[] {rows.getLong(1), rows.getInt(2)});
            }
        }
        return keys;
    }

    private static List<Row> read(Connection connection, List<long[]> keys) throws SQLException {
        List<Row> rows = new ArrayList<>();
        String sql = "SELECT k.chat_id, k.number, c.application_id, c.number, m.body, m.version, m.created, m.deleted,"
                + " m.created_at, m.updated_at, m.sender FROM (" + keys.stream().map(key -> "SELECT ? AS chat_id, ? AS number")
                        .collect(Collectors.joining(" UNION ALL "))
                + ") k LEFT JOIN messages m ON m.chat_id = k.chat_id AND m.number = k.number"
                + " LEFT JOIN chats c ON c.id = k.chat_id";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bindKeys(select, keys);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getLong(1), result.getInt(2), (Long) result.getObject(3, Long.class),
                            (Integer) result.getObject(4, Integer.class), result.getString(5), result.getLong(6),
                            result.getBoolean(7), result.getBoolean(8), result.getString(9), result.getString(10),
                            result.getString(11)));
                }
            }
        }
        return rows;
    }

    private void send(List<Row> rows) throws IOException {
        StringBuilder bulk = new StringBuilder();
        List<Instant> accepted = new ArrayList<>();
        for (Row row : rows) {
            String id = MessageIndex.documentId(row.chatId(), row.number());
            if (row.gone()) {
                bulk.append(action("delete", id, null)).append('\n');
            } else if (row.deleted()) {
                bulk.append(action("delete", id, row.version())).append('\n');
            } else if (row.created()) {
                bulk.append(action("index", id, row.version())).append('\n').append(document(row)).append('\n');
                accepted.add(Timestamps.fromSql(row.updatedAt()));
            }
            // not created yet: its create will queue it again
        }
        if (bulk.isEmpty()) {
            return;
        }
        JsonNode items = engine.bulk(bulk.toString());
        for (JsonNode item : items) {
            JsonNode result = item.elements().next();
            int status = result.path("status").asInt();
            boolean fine = status < 300
                    || status == 409 // a newer version is already there
                    || status == 404 && item.has("delete"); // nothing to delete
            if (!fine) {
                throw new IOException("the search engine refused " + result.path("_id").asText() + ": " + result.path("error"));
            }
        }
        for (JsonNode item : items) {
            if (item.has("index")) {
                indexed.increment();
            }
        }
        accepted.forEach(at -> Latencies.recordSince(delay, at));
    }

    private String action(String type, String id, Long version) {
        ObjectNode target = json.createObjectNode().put("_index", MessageIndex.NAME).put("_id", id);
        if (version != null) {
            // external_gte: an equal version is the same state, so a reindex may rewrite it (repairs)
            target.put("version", version).put("version_type", "external_gte");
        }
        return json.createObjectNode().set(type, target).toString();
    }

    private String document(Row row) throws JsonProcessingException {
        return json.writeValueAsString(MessageDocument.of(row.applicationId(), row.chatId(), row.chatNumber(), row.number(),
                row.sender(), row.body(), Timestamps.RFC_3339_MILLIS.format(Timestamps.fromSql(row.createdAt())),
                Timestamps.RFC_3339_MILLIS.format(Timestamps.fromSql(row.updatedAt()))));
    }

    private static void delete(Connection connection, List<long[]> keys) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM search_outbox WHERE (chat_id, number) IN ("
                + keys.stream().map(key -> "(?, ?)").collect(Collectors.joining(",")) + ")")) {
            bindKeys(delete, keys);
            delete.executeUpdate();
        }
    }

    private static void bindKeys(PreparedStatement statement, List<long[]> keys) throws SQLException {
        int index = 1;
        for (long[] key : keys) {
            statement.setLong(index++, key[0]);
            statement.setInt(index++, (int) key[1]);
        }
    }
}
