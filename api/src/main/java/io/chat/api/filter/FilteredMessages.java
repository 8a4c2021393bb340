package io.chat.api.filter;

import io.chat.api.message.MessageEntity;
import io.chat.api.page.PageRequest;
import io.chat.api.page.SortOrder;
import io.chat.common.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A page of a chat's visible messages, filtered, in number order, each shape of query a range of one
 * index (docs/filters-and-trends.md shows their EXPLAIN on a chat of 1,000,000 messages):
 * <ul>
 * <li>no sender, no hashtag: the primary key (chat_id, number);
 * <li>a sender: idx_messages_chat_sender (chat_id, sender, number);
 * <li>a hashtag (and maybe a sender): idx_message_hashtags_chat_tag (chat_id, hashtag, number), then
 * each message by its primary key.
 * </ul>
 * from and to narrow the range of numbers: created_at never decreases as numbers grow within a chat
 * (ChatCounters), so the messages of a time range are those numbered from the first one at or after
 * from to the last one before to, found in idx_messages_chat_created. Messages stored before V6 gave
 * that guarantee can be out of order by the milliseconds between numbering and stamping a request:
 * each bound is the smallest (largest) number among the messages within {@link #LEGACY_SKEW} of the
 * first time at or after from (the last time before to), which is exact for them too; and the times
 * are checked again row by row.
 */
@ApplicationScoped
public class FilteredMessages {

    /** More than a later number's created_at could be before an earlier one's, among messages stored before V6. */
    static final Duration LEGACY_SKEW = Duration.ofSeconds(1);

    private final EntityManager em;

    public FilteredMessages(EntityManager em) {
        this.em = em;
    }

    public List<MessageEntity> page(long chatId, MessageFilter filter, PageRequest page) {
        Integer first = null;
        Integer last = null;
        if (filter.from() != null) {
            first = bound(chatId, ">=", filter.from(), "ASC", "MIN").orElse(null);
            if (first == null) {
                return List.of(); // nothing at or after from
            }
        }
        if (filter.to() != null) {
            last = bound(chatId, "<", filter.to(), "DESC", "MAX").orElse(null);
            if (last == null) {
                return List.of(); // nothing before to
            }
        }

        boolean byHashtag = filter.hashtag() != null;
        String number = byHashtag ? "h.number" : "m.number"; // the column the page is walked by
        StringBuilder sql = new StringBuilder("SELECT m.* FROM ");
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        if (byHashtag) {
            sql.append("message_hashtags h FORCE INDEX (idx_message_hashtags_chat_tag) STRAIGHT_JOIN messages m"
                    + " ON m.chat_id = h.chat_id AND m.number = h.number");
            where.add("h.chat_id = :chat");
            where.add("h.hashtag = :hashtag");
            parameters.put("hashtag", filter.hashtag());
        } else {
            sql.append("messages m FORCE INDEX (").append(filter.sender() == null ? "PRIMARY" : "idx_messages_chat_sender").append(")");
            where.add("m.chat_id = :chat");
        }
        parameters.put("chat", chatId);
        if (filter.sender() != null) {
            where.add("m.sender = :sender");
            parameters.put("sender", filter.sender());
        }
        where.add("m.created = TRUE AND m.deleted = FALSE");
        if (first != null) {
            where.add(number + " >= :first");
            parameters.put("first", first);
        }
        if (last != null) {
            where.add(number + " <= :last");
            parameters.put("last", last);
        }
        if (filter.from() != null) {
            where.add("m.created_at >= :from");
            parameters.put("from", Timestamps.toSql(filter.from()));
        }
        if (filter.to() != null) {
            where.add("m.created_at < :to");
            parameters.put("to", Timestamps.toSql(filter.to()));
        }
        boolean ascending = page.order() == SortOrder.ASC;
        where.add(number + (ascending ? " > :after" : " < :after"));
        parameters.put("after", page.boundary());
        sql.append(" WHERE ").append(String.join(" AND ", where))
                .append(" ORDER BY ").append(number).append(ascending ? " ASC" : " DESC")
                .append(" LIMIT ").append(page.fetchSize());

        Query query = em.createNativeQuery(sql.toString(), MessageEntity.class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<MessageEntity> rows = query.getResultList();
        return rows;
    }

    /**
     * Where the messages of a time range begin (the smallest number created at or after from:
     * {@code >=, ASC, MIN}) or end (the largest created before to: {@code <, DESC, MAX}), counting
     * messages persisted and deleted since: the time nearest the bound, then the extreme number
     * among the messages within {@link #LEGACY_SKEW} of that time (one message, since V6).
     */
    private Optional<Integer> bound(long chatId, String comparison, Instant at, String direction, String extreme) {
        @SuppressWarnings("unchecked")
        // As text: what the column holds, whatever the JVM's time zone.
        List<Object> nearest = em.createNativeQuery("SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f')"
                        + " FROM messages FORCE INDEX (idx_messages_chat_created)"
                        + " WHERE chat_id = :chat AND created_at " + comparison + " :at ORDER BY created_at " + direction + " LIMIT 1")
                .setParameter("chat", chatId)
                .setParameter("at", Timestamps.toSql(at))
                .getResultList();
        if (nearest.isEmpty()) {
            return Optional.empty();
        }
        Instant time = Timestamps.fromSql(nearest.get(0).toString());
        boolean after = direction.equals("ASC");
        Object number = em.createNativeQuery("SELECT " + extreme + "(number) FROM messages FORCE INDEX (idx_messages_chat_created)"
                        + " WHERE chat_id = :chat AND created_at BETWEEN :low AND :high")
                .setParameter("chat", chatId)
                .setParameter("low", Timestamps.toSql(after ? time : time.minus(LEGACY_SKEW)))
                .setParameter("high", Timestamps.toSql(after ? time.plus(LEGACY_SKEW) : time))
                .getSingleResult();
        return Optional.of(((Number) number).intValue());
    }
}
